import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createServices } from '../../src/container.js';
import { openDatabase } from '../../src/db/open.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { createAccount, PASSWORD } from '../support/admin.js';
import { makeTestApp, recordingLogger, TEST_SECRET, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t.close());

const attempt = (app: TestApp['app'], from: string, email: string, password: string) =>
  request(app).post('/admin/login/').set('X-Forwarded-For', from).type('form').send({ email, password });

describe('admin login throttling', () => {
  it('locks an account for the address that failed 5 times, while the administrator logs in from elsewhere', async () => {
    const log = recordingLogger();
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' }, logger: log.logger });
    createAccount(t, 'administrator', 'owner@example.org');
    for (let i = 0; i < 5; i++) expect((await attempt(t.app, '203.0.113.5', 'owner@example.org', `guess ${i}`)).status).toBe(401);

    const locked = await attempt(t.app, '203.0.113.5', 'OWNER@example.org', PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('Too many failed logins. Wait 15 minutes, then try again.');
    expect(locked.text).toContain('value="OWNER@example.org"');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(log.lines.some((l) => l.level === 40 && l.msg === 'rate limit reached' && l.limit === 'login' && l.ip === '203.0.113.5')).toBe(true);
    // Moving the credentials into the address does not get round the lock.
    const viaQuery = await request(t.app).post(`/admin/login/?email=owner%40example.org&password=${encodeURIComponent(PASSWORD)}`)
      .set('X-Forwarded-For', '203.0.113.5').type('form').send({});
    expect(viaQuery.status).not.toBe(303);

    // The real administrator, at another address, is not locked out by someone typing their email.
    expect((await attempt(t.app, '198.51.100.7', 'owner@example.org', PASSWORD)).status).toBe(303);
  });

  it('counts consecutive failures: a successful login starts the count again', async () => {
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' } });
    createAccount(t, 'administrator', 'owner@example.org');
    for (let i = 0; i < 4; i++) await attempt(t.app, '203.0.113.6', 'owner@example.org', 'typo');
    expect((await attempt(t.app, '203.0.113.6', 'owner@example.org', PASSWORD)).status).toBe(303);
    for (let i = 0; i < 4; i++) expect((await attempt(t.app, '203.0.113.6', 'owner@example.org', 'typo')).status).toBe(401);
    expect((await attempt(t.app, '203.0.113.6', 'owner@example.org', PASSWORD)).status).toBe(303);
  });

  it('stops one address for an hour after 30 failures across many accounts; other addresses go on', async () => {
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' } });
    for (let i = 0; i < 30; i++) expect((await attempt(t.app, '203.0.113.9', `user${i}@example.org`, 'guess')).status).toBe(401);
    const blocked = await attempt(t.app, '203.0.113.9', 'someone@example.org', 'guess');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(59 * 60);
    expect((await attempt(t.app, '203.0.113.10', 'someone@example.org', 'guess')).status).toBe(401);
  }, 120_000);

  it('keeps its counts across a restart: a new server on the same database still refuses', async () => {
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' } });
    createAccount(t, 'administrator', 'owner@example.org');
    for (let i = 0; i < 5; i++) await attempt(t.app, '203.0.113.5', 'owner@example.org', 'guess');

    const db = openDatabase(t.config.databasePath);
    try {
      const restarted = createApp({
        config: t.config, services: createServices(db, t.config, TEST_SECRET), secret: TEST_SECRET,
        sessionStore: new SqliteSessionStore(db), limiters: sqliteLimiters(db),
      });
      expect((await attempt(restarted, '203.0.113.5', 'owner@example.org', PASSWORD)).status).toBe(429);
    } finally {
      db.close();
    }
  });
});

describe('admin login throttling under parallel attempts and IPv6', () => {
  it('lets no more than 5 of 10 guesses sent at once reach the password check', async () => {
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' } });
    createAccount(t, 'administrator', 'owner@example.org');
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(t.app, '203.0.113.8', 'owner@example.org', `guess ${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect((await attempt(t.app, '203.0.113.8', 'owner@example.org', PASSWORD)).status).toBe(429);
  });

  it('counts an IPv6 visitor by their /56, so changing the last bits of the address does not reset the count', async () => {
    t = makeTestApp({ env: { TRUST_PROXY: 'loopback' } });
    createAccount(t, 'administrator', 'owner@example.org');
    for (let i = 1; i <= 5; i++) expect((await attempt(t.app, `2001:db8:1:100::${i}`, 'owner@example.org', 'guess')).status).toBe(401);
    expect((await attempt(t.app, '2001:db8:1:1ff:abcd::9', 'owner@example.org', PASSWORD)).status).toBe(429);
    // Another /56 is someone else.
    expect((await attempt(t.app, '2001:db8:1:200::1', 'owner@example.org', PASSWORD)).status).toBe(303);
  });
});
