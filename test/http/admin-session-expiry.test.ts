import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, PASSWORD } from '../support/admin.js';
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

describe('the session after a new password on the Profile screen', () => {
  it('keeps the two-week idle limit of an admin session', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const changed = await agent.post('/admin/profile/').type('form').send({
      _csrf: csrf, name: 'The administrator', email: 'administrator@example.org',
      currentPassword: PASSWORD, newPassword: 'a brand new long password', repeatPassword: 'a brand new long password',
    });
    expect(changed.status).toBe(303);
    const [end] = sessionEnds(t);
    expect(Math.abs(end - (Date.now() + 14 * DAY))).toBeLessThan(60_000);
  });
});
