import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createServices } from '../../src/container.js';
import { openDatabase } from '../../src/db/open.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { makeTestApp, TEST_SECRET, type TestApp } from '../support/app.js';

let t: TestApp;
const closers: Array<() => void> = [];
afterEach(() => {
  closers.splice(0).forEach((close) => close());
  t.close();
});

/** The same blog started again on its database file: a new process, with nothing kept in memory. */
function restart(t: TestApp, setupToken?: string) {
  const db = openDatabase(t.config.databasePath);
  closers.push(() => db.close());
  return createApp({
    config: t.config, services: createServices(db, t.config, TEST_SECRET), secret: TEST_SECRET,
    sessionStore: new SqliteSessionStore(db), limiters: sqliteLimiters(db), setupToken,
  });
}

const comment = (app: TestApp['app']) =>
  request(app).post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: '1', comment: '' });

describe('rate limits survive a restart', () => {
  it('comments: 20 posts in ten minutes from one address, then 429 on the restarted server too', async () => {
    t = makeTestApp();
    for (let i = 0; i < 20; i++) expect((await comment(t.app)).status).not.toBe(429);
    const again = restart(t);
    const refused = await comment(again).expect(429);
    expect(refused.text).toContain('Slow down');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('setup page: 10 tries in 15 minutes, then 429 after a restart', async () => {
    t = makeTestApp({ setupToken: 'printed-token' });
    const trySetup = (app: TestApp['app']) => request(app).post('/admin/setup/').type('form').send({ token: 'guess', name: 'X', email: 'x@example.org', password: 'long enough password' });
    for (let i = 0; i < 10; i++) expect((await trySetup(t.app)).status).toBe(422);
    expect((await trySetup(restart(t, 'printed-token'))).status).toBe(429);
  });

  it('logins with a provider: 10 requests to /auth/ in a minute, then 429 after a restart', async () => {
    t = makeTestApp();
    for (let i = 0; i < 10; i++) expect((await request(t.app).get('/auth/google/callback')).status).not.toBe(429);
    expect((await request(restart(t)).get('/auth/google/callback')).status).toBe(429);
  });
});
