import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { makeTestApp, type TestApp } from '../support/app.js';

/**
 * Fedify costs ~400 ms to import: the blog loads it on the first federated request, not at start-up nor for a page.
 * Its polyfills (src/fediverse/polyfills.ts) load just before it and define globalThis.navigator, which Node 20 lacks:
 * a fresh Node that has not defined it has not loaded Fedify.
 */
const script = `
import request from 'supertest';
import { makeTestApp } from './test/support/app.ts';
const t = makeTestApp();
await request(t.app).get('/').expect(200);
// A permalink-shaped path where no post lives, asked for as ActivityPub: the reader's 404, Fedify not needed.
await request(t.app).get('/no-such-page/').set('Accept', 'application/activity+json').expect(404);
const afterPage = typeof globalThis.navigator;
await request(t.app).get('/.well-known/webfinger?resource=acct:blog@blog.test').expect(200);
console.log(JSON.stringify([afterPage, typeof globalThis.navigator]));
t.close();
`;

let t: TestApp | undefined;
afterEach(() => t?.close());

describe('Fedify is loaded lazily', () => {
  it('is not loaded at start-up, nor by a page, nor by an ActivityPub request where no post lives, and is by the first federated request', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual(['undefined', 'object']);
  });

  it('at start-up, deliveries left in the queue by a stopped process are taken up without waiting for a request', async () => {
    t = makeTestApp();
    t.db.prepare('INSERT INTO fedi_queue (message, run_at) VALUES (?, 0)').run(JSON.stringify({ type: 'unknown' }));
    t.services.fediverse.start(pino({ level: 'silent' }));
    await expect.poll(() => t!.db.prepare('SELECT count(*) FROM fedi_queue').pluck().get(), { timeout: 5000 }).toBe(0);
  });
});
