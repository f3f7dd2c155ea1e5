import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccount, PASSWORD } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
afterEach(() => t.close());

const storedIps = (t: TestApp) => t.db.prepare('SELECT author_ip FROM comments ORDER BY id').pluck().all();

describe('client addresses behind a proxy', () => {
  it('with TRUST_PROXY=loopback, each visitor behind the local proxy is themselves: no shared flood limit', async () => {
    const clock = manualClock();
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' }, now: clock.now });
    const first = await submitComment(t, clock, { author: 'Ani', email: 'ani@example.org' }, { agent: request.agent(t.app).set('X-Forwarded-For', '198.51.100.1') });
    expect(first.status).toBe(303);
    // A second visitor a second later is not "posting too quickly": they are someone else.
    const second = await submitComment(t, clock, { author: 'Budi', email: 'budi@example.org', comment: 'Setuju!' }, { agent: request.agent(t.app).set('X-Forwarded-For', '198.51.100.2'), wait: 1 });
    expect(second.status).toBe(303);
    expect(storedIps(t)).toEqual(['198.51.100.1', '198.51.100.2']);
  });

  it('believes X-Forwarded-For only from the trusted proxy: a client connecting directly cannot forge its address', async () => {
    const clock = manualClock();
    t = makeTestApp({ env: { TRUST_PROXY: '10.0.0.1' }, now: clock.now });
    const res = await submitComment(t, clock, {}, { agent: request.agent(t.app).set('X-Forwarded-For', '6.6.6.6') });
    expect(res.status).toBe(303);
    expect(storedIps(t)).toEqual(['127.0.0.1']);
  });

  it('with an https address behind a TLS proxy, the login cookie is Secure and the login holds', async () => {
    t = makeTestApp({ env: { PUBLIC_URL: 'https://blog.test', TRUST_PROXY: 'loopback' } });
    createAccount(t, 'administrator', 'owner@example.org');
    const agent = request.agent(t.app).set('X-Forwarded-Proto', 'https');
    const login = await agent.post('/admin/login/').type('form').send({ email: 'owner@example.org', password: PASSWORD });
    expect(login.status).toBe(303);
    expect(String(login.headers['set-cookie'])).toMatch(/blog\.sid=.*; Secure/);
    // supertest's agent sends Secure cookies back only over https, as a browser would: send it by hand.
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const dashboard = await request(t.app).get('/admin/').set('X-Forwarded-Proto', 'https').set('Cookie', cookie);
    expect(dashboard.status).toBe(200);
  });
});
