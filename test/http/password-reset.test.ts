import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { createServices } from '../../src/container.js';
import { openDatabase } from '../../src/db/open.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { makeTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { createAccount, csrfFrom, logIn, PASSWORD } from '../support/admin.js';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from '../support/smtp.js';

const EMAIL = 'administrator@example.org';
const NEW_PASSWORD = 'a brand new passphrase';
const SENT = 'If an account uses that address, a link to set a new password is on its way. It works once, for an hour.';
const GONE = 'This link no longer works';
const HOUR = 3600_000;

let smtp: TestSmtpServer;
let t: TestApp;
let clock: Date;
const closers: Array<() => Promise<void> | void> = [];

beforeEach(async () => {
  smtp = await startSmtpServer();
  clock = new Date('2026-03-01T10:00:00Z');
  t = makeTestApp({ env: { SMTP_URL: smtp.url }, now: () => clock });
  createAccount(t, 'administrator', EMAIL);
  createAccount(t, 'author', 'author@example.org');
});

afterEach(async () => {
  vi.useRealTimers();
  for (const close of closers.splice(0).reverse()) await close();
  t.close();
  await smtp.close();
});

type App = TestApp['app'];

/** Asks for a link as the form does (a same-origin POST). */
const askFor = (email: string, app: App = t.app) =>
  request(app).post('/admin/lost-password/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ email });

/** The key in a message's link, read from its plain-text part (and found in the HTML part too). */
function keyFrom(mail: ReceivedMail): string {
  const key = /\/admin\/reset-password\/\?key=([\w-]{43})/.exec(mail.parsed.text ?? '')?.[1];
  if (!key) throw new Error(`no link in ${mail.parsed.text}`);
  expect(mail.parsed.html).toContain(`http://blog.test/admin/reset-password/?key=${key}`);
  return key;
}

const setPassword = (key: string, password = NEW_PASSWORD, repeatPassword = password, app: App = t.app) =>
  request(app).post('/admin/reset-password/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ key, password, repeatPassword });

const loginStatus = async (password: string) =>
  (await request(t.app).post('/admin/login/').type('form').send({ email: EMAIL, password })).status;

/** Asks for a link and returns its key, once the message has arrived. */
async function linkKey(email = EMAIL) {
  const before = smtp.received.length;
  await askFor(email).expect(200);
  const mails = await smtp.waitFor(before + 1);
  return keyFrom(mails[before]);
}

/**
 * Proves nothing else was queued: a link for another account is asked for last and must be the next message to
 * arrive (the outbox sends in order), and nothing follows it.
 */
async function expectNoMoreMailThan(count: number, app: App = t.app) {
  await askFor('author@example.org', app).expect(200);
  const mails = await smtp.waitFor(count + 1);
  expect(mails.map((m) => m.to[0]).slice(count)).toEqual(['author@example.org']);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(smtp.received).toHaveLength(count + 1);
}

/** The same blog started again on its database file: nothing kept in memory, email on, the outbox worker running. */
function restart(): App {
  const db = openDatabase(t.config.databasePath);
  const services = createServices(db, t.config, TEST_SECRET, () => clock);
  services.mailWorker.start({ info() {}, warn() {}, error() {} });
  closers.push(() => void db.close(), () => services.mailWorker.stop());
  return createApp({ config: t.config, services, secret: TEST_SECRET, sessionStore: new SqliteSessionStore(db), limiters: sqliteLimiters(db) });
}

describe('Lost your password?', () => {
  it('is linked from the login page and asks for an email', async () => {
    const login = await request(t.app).get('/admin/login/').expect(200);
    expect(login.text).toContain('<a href="/admin/lost-password/">Lost your password?</a>');
    const form = await request(t.app).get('/admin/lost-password/').expect(200);
    expect(form.text).toContain('<form method="post" action="/admin/lost-password/">');
    expect(form.text).toContain('name="email" type="email"');
  });

  it('answers a known and an unknown email alike, and mails only the account that has it', async () => {
    const unknown = await askFor('nobody@example.org');
    const known = await askFor(` ${EMAIL.toUpperCase()} `);
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    expect(known.text).toContain(SENT);
    const [mail] = await smtp.waitFor(1);
    expect(mail.to).toEqual([EMAIL]);
    expect(mail.parsed.subject).toBe('[IMers Blog] Set a new password');
    expect(mail.parsed.text).toContain(`Someone asked for a new password for the account ${EMAIL}`);
    expect(mail.parsed.headers.has('list-unsubscribe')).toBe(false);
    keyFrom(mail);
    await expectNoMoreMailThan(1);
  });

  it('refuses a cross-site request', async () => {
    await request(t.app).post('/admin/lost-password/').set('Sec-Fetch-Site', 'cross-site').type('form').send({ email: EMAIL }).expect(403);
    await expectNoMoreMailThan(0);
  });

  it("carries a logged-in visitor's session token, and refuses their POST without it", async () => {
    const { agent } = await logIn(t, 'author@example.org');
    const csrf = csrfFrom((await agent.get('/admin/lost-password/').expect(200)).text);
    expect(csrf).not.toBe('');
    await agent.post('/admin/lost-password/').type('form').send({ email: EMAIL }).expect(403);
    expect((await agent.post('/admin/lost-password/').type('form').send({ email: EMAIL, _csrf: csrf }).expect(200)).text).toContain(SENT);
    expect((await smtp.waitFor(1))[0].to).toEqual([EMAIL]);
  });

  it('says email is off, and how to set a password from the shell, when the blog sends none', async () => {
    const off = makeTestApp();
    closers.push(() => off.close());
    createAccount(off, 'administrator', EMAIL);
    const page = await request(off.app).get('/admin/lost-password/').expect(200);
    expect(page.text).toContain('This blog does not send email');
    expect(page.text).toContain('<code>npm run user:password -- --email you@example.org</code>');
    expect(page.text).not.toContain('<form');
    const posted = await askFor(EMAIL, off.app).expect(200);
    expect(posted.text).toContain('This blog does not send email');
  });
});

describe('the link in the message', () => {
  it('sets a new password once: the old password stops working, and a second use is refused', async () => {
    const key = await linkKey();
    const form = await request(t.app).get(`/admin/reset-password/?key=${key}`).expect(200);
    expect(form.text).toContain(`name="key" value="${key}"`);
    expect(form.text).toContain('New password (12 characters or more)');

    const done = await setPassword(key).expect(303);
    expect(done.headers.location).toBe('/admin/login/?password-set');
    const login = await request(t.app).get(done.headers.location).expect(200);
    expect(login.text).toContain('Your new password is set');
    expect(await loginStatus(NEW_PASSWORD)).toBe(303);
    expect(await loginStatus(PASSWORD)).toBe(401);

    const again = await setPassword(key, 'yet another passphrase').expect(410);
    expect(again.text).toContain(GONE);
    expect(again.text).toContain('<a href="/admin/lost-password/">Ask for a new link</a>');
    await request(t.app).get(`/admin/reset-password/?key=${key}`).expect(410);
    expect(await loginStatus('yet another passphrase')).toBe(401);
  });

  it('changes nothing when only opened (a mail scanner following it)', async () => {
    const key = await linkKey();
    for (let i = 0; i < 3; i++) await request(t.app).get(`/admin/reset-password/?key=${key}`).expect(200);
    await request(t.app).head(`/admin/reset-password/?key=${key}`).expect(200);
    expect(await loginStatus(PASSWORD)).toBe(303);
    await setPassword(key).expect(303);
  });

  it('works for an hour and not after', async () => {
    const key = await linkKey();
    clock = new Date(clock.getTime() + HOUR - 60_000);
    await request(t.app).get(`/admin/reset-password/?key=${key}`).expect(200);
    clock = new Date(clock.getTime() + 2 * 60_000);
    expect((await request(t.app).get(`/admin/reset-password/?key=${key}`).expect(410)).text).toContain(GONE);
    await setPassword(key).expect(410);
    expect(await loginStatus(PASSWORD)).toBe(303);
  });

  it('stops working once a newer link is sent', async () => {
    const older = await linkKey();
    const newer = await linkKey();
    expect(newer).not.toBe(older);
    await setPassword(older).expect(410);
    await setPassword(newer).expect(303);
  });

  it('stops working once the password is changed another way (Profile)', async () => {
    const key = await linkKey();
    const { agent, csrf } = await logIn(t, EMAIL);
    await agent.post('/admin/profile/').type('form')
      .send({ _csrf: csrf, name: 'The administrator', email: EMAIL, currentPassword: PASSWORD, newPassword: 'changed on the profile', repeatPassword: 'changed on the profile' })
      .expect(303);
    await setPassword(key).expect(410);
    expect(await loginStatus('changed on the profile')).toBe(303);
  });

  it('keeps the link when the new password is refused, and says why', async () => {
    const key = await linkKey();
    const short = await setPassword(key, 'too short').expect(422);
    expect(short.text).toContain('Use at least 12 characters.');
    const blank = await setPassword(key, ' '.repeat(14), ' '.repeat(14)).expect(422);
    expect(blank.text).toContain('A password cannot be spaces alone.');
    const mismatch = await setPassword(key, NEW_PASSWORD, 'something else entirely').expect(422);
    expect(mismatch.text).toMatch(/repeatPassword-error/);
    await setPassword(key).expect(303);
  });

  it('answers an unknown or malformed key with the page that offers a new link', async () => {
    for (const key of ['', 'x'.repeat(43), '../../etc', 'a'.repeat(5000)]) {
      const page = await request(t.app).get(`/admin/reset-password/?key=${encodeURIComponent(key)}`).expect(410);
      expect(page.text).toContain('/admin/lost-password/');
    }
    await request(t.app).get('/admin/reset-password/?key=a&key=b').expect(410);
  });

  it('logs the account out of every other session', async () => {
    const { agent } = await logIn(t, EMAIL);
    await agent.get('/admin/').expect(200);
    await setPassword(await linkKey()).expect(303);
    const after = await agent.get('/admin/');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/admin\/login\//);
  });
});

describe('limits on asking for links', () => {
  it('3 an hour per address and 5 a day per account, kept across a restart; past them the same answer and no message', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const start = Date.now();
    for (let i = 0; i < 3; i++) expect((await askFor(EMAIL)).text).toContain(SENT);
    await smtp.waitFor(3);
    const refused = await askFor(EMAIL).expect(200);
    expect(refused.text).toContain(SENT);
    expect(refused.text).toBe((await askFor('nobody@example.org')).text);
    let app = restart();
    await askFor(EMAIL, app).expect(200);
    await expectNoMoreMailThan(3, app);

    // An hour on, the address may ask again, but the account has 5 a day: 2 more, then none, restart or not.
    vi.setSystemTime(start + HOUR + 60_000);
    for (let i = 0; i < 2; i++) await askFor(EMAIL, app).expect(200);
    await smtp.waitFor(6);
    vi.setSystemTime(start + 2 * HOUR + 120_000);
    app = restart();
    expect((await askFor(EMAIL, app).expect(200)).text).toContain(SENT);
    await expectNoMoreMailThan(6, app);
    expect(smtp.received.filter((m) => m.to[0] === EMAIL)).toHaveLength(5);
  });
});

describe('in Indonesian', () => {
  it('speaks the site language on the pages and in the message', async () => {
    t.services.settings.update({ language: 'id' });
    expect((await request(t.app).get('/admin/login/')).text).toContain('Lupa kata sandi?');
    const sent = await askFor(EMAIL).expect(200);
    expect(sent.text).toContain('Jika ada akun yang memakai alamat itu');
    const [mail] = await smtp.waitFor(1);
    expect(mail.parsed.subject).toBe('[IMers Blog] Buat kata sandi baru');
    expect(mail.parsed.text).toContain('Seseorang meminta kata sandi baru');
    const key = keyFrom(mail);
    expect((await request(t.app).get(`/admin/reset-password/?key=${key}`)).text).toContain('Buat kata sandi baru');
    expect((await setPassword(key, 'pendek').expect(422)).text).toContain('12');
    const done = await setPassword(key).expect(303);
    expect((await request(t.app).get(done.headers.location)).text).toContain('Kata sandi baru Anda sudah disimpan');
    expect((await setPassword(key).expect(410)).text).toContain('Tautan ini sudah tidak berlaku');
  });
});
