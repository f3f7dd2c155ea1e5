import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';

/*
 * 200 comments posted at once from one IP over a real socket. Only the per-IP rate limit (20 posts in
 * 10 minutes) and the flood rule (one comment per IP or email every 15 seconds) decide who gets in;
 * whatever they decide, the table must hold exactly the comments the visitors were sent on to.
 */

const BURST = 200;

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
let server: Server;
let base: string;

beforeAll(async () => {
  clock = manualClock();
  t = makeTestApp({ now: clock.now });
  t.services.settings.update({ requirePreviouslyApproved: false } as never);
  server = t.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.close();
});

const rowCount = () => (t.db.prepare('SELECT COUNT(*) AS n FROM comments').get() as { n: number }).n;

/** The hidden fields of the comment form, read as a browser would, and the reading time passed. */
async function readForm() {
  const page = await fetch(`${base}${SEED_PATH}`);
  expect(page.status).toBe(200);
  const fields = formFields(await page.text());
  expect(fields.form_token).toMatch(/^\d+\.[\w-]+$/);
  clock.advance(10);
  return fields;
}

async function postComment(hidden: Record<string, string>, i: number) {
  const res = await fetch(`${base}/comments/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...hidden,
      author: `Reader ${i}`,
      email: `reader${i}@example.org`,
      comment: `Concurrent comment number ${i}, with its own words.`,
    }).toString(),
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

describe('POST /comments/ under a concurrent burst from one IP', () => {
  it(`stores one row per 303 among ${BURST} simultaneous posts, refuses the rest with 429 and never fails`, async () => {
    const hidden = await readForm();
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => postComment(hidden, i)));

    const statuses = results.map((r) => r.status);
    const count = (status: number) => statuses.filter((s) => s === status).length;
    const accepted = results.filter((r) => r.status === 303);

    expect(statuses.filter((s) => s >= 500), 'no 5xx').toEqual([]);
    expect(statuses.filter((s) => s !== 303 && s !== 429), 'every refusal is a 429').toEqual([]);
    expect(rowCount()).toBe(accepted.length);

    // The clock stood still during the burst, so the flood rule lets exactly one comment through.
    expect(accepted).toHaveLength(1);
    const [row] = t.db.prepare('SELECT id, status, author_email FROM comments').all() as { id: number; status: string; author_email: string }[];
    expect(accepted[0].location).toBe(`${SEED_PATH}#comment-${row.id}`);
    expect(row.status).toBe('approved');

    // The rate limit (20 per IP in 10 minutes, src/routes/comments.ts) stopped most of the burst before the
    // service; the flood rule answered the other 19 that reached it.
    const limited = results.filter((r) => r.status === 429 && !r.text.includes('You are posting comments too quickly.'));
    const flooded = results.filter((r) => r.status === 429 && r.text.includes('You are posting comments too quickly.'));
    expect(limited.length + flooded.length + accepted.length).toBe(BURST);
    expect(limited.length).toBe(BURST - 20);
    expect(flooded.length).toBe(19);
    expect(count(429)).toBe(BURST - 1);
  });

  it('keeps refusing this IP with 429 once the flood window has passed, while the rate-limit window has not', async () => {
    clock.advance(60);
    const before = rowCount();
    const hidden = await readForm();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => postComment(hidden, BURST + i)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(429));
    expect(rowCount()).toBe(before);
  });

  it('still serves the post page with the one accepted comment after the burst', async () => {
    const page = await fetch(`${base}${SEED_PATH}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html.match(/<li id="comment-\d+"/g)).toHaveLength(1);
    expect(html).toContain('Concurrent comment number');
  });
});
