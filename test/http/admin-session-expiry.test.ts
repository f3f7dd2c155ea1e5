import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t.close());

const DAY = 86400_000;
/** When the browser is told to drop the session cookie, in ms from now. */
const cookieLifetime = (res: request.Response) => Date.parse(/blog\.sid=[^;]+;.*Expires=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1] ?? '') - Date.now();
const sessionEnds = (t: TestApp) => t.db.prepare('SELECT expires_at FROM sessions').pluck().all() as number[];

describe('admin sessions', () => {
  it('last two weeks from the last visit: each admin page moves the end on, cookie and row alike', async () => {
    t = makeTestApp();
    const { agent } = await adminAgent(t);
    const page = await agent.get('/admin/').expect(200);
    expect(Math.abs(cookieLifetime(page) - 14 * DAY)).toBeLessThan(60_000);
    const [end] = sessionEnds(t);
    expect(Math.abs(end - (Date.now() + 14 * DAY))).toBeLessThan(60_000);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    await agent.get('/admin/posts/').expect(200);
    expect(sessionEnds(t)[0]).toBeGreaterThan(end);
  });

  it('end after two weeks without a visit: the idle session opens nothing', async () => {
    t = makeTestApp();
    const { agent } = await adminAgent(t);
    // Fifteen days pass without a request.
    t.db.prepare('UPDATE sessions SET expires_at = ?').run(Date.now() - DAY);
    const res = await agent.get('/admin/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/login\//);
  });
});
