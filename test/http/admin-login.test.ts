import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/sessions.js';
import { createAccount, csrfFrom, logIn, PASSWORD } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const sessionCookie = (res: request.Response) =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${SESSION_COOKIE}=`));

describe('admin login', () => {
  it('sends an anonymous visitor of any admin page to the login, and back after logging in', async () => {
    t = makeTestApp();
    createAccount(t, 'administrator', 'owner@example.org');
    const page = await request(t.app).get('/admin/posts/?status=draft');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/admin/login/?next=%2Fadmin%2Fposts%2F%3Fstatus%3Ddraft');
    expect(sessionCookie(page)).toBeUndefined();

    const form = await request(t.app).get(page.headers.location);
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="next" value="/admin/posts/?status=draft"');
    const agent = request.agent(t.app);
    const login = await agent.post('/admin/login/').type('form')
      .send({ email: 'Owner@Example.org ', password: PASSWORD, next: '/admin/posts/?status=draft' });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/admin/posts/?status=draft');
    const cookie = sessionCookie(login)!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const dashboard = await agent.get('/admin/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('The administrator');
    expect(dashboard.headers['cache-control']).toBe('private, no-store');
  });

  it('never sends the visitor to another site after logging in', async () => {
    t = makeTestApp();
    createAccount(t, 'administrator', 'owner@example.org');
    for (const next of ['https://evil.example/', '//evil.example/admin/', '/\\evil.example', 'javascript:alert(1)']) {
      const res = await request(t.app).post('/admin/login/').type('form').send({ email: 'owner@example.org', password: PASSWORD, next });
      expect(res.headers.location).toBe('/admin/');
    }
  });

  it('gives the same answer for an unknown email and a wrong password, keeping the email typed', async () => {
    t = makeTestApp();
    createAccount(t, 'administrator', 'owner@example.org');
    const unknown = await request(t.app).post('/admin/login/').type('form').send({ email: 'nobody@example.org', password: PASSWORD });
    const wrong = await request(t.app).post('/admin/login/').type('form').send({ email: 'owner@example.org', password: 'not the password' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.text).toContain('The email or password is incorrect.');
    expect(unknown.text.replace('nobody@example.org', 'owner@example.org')).toBe(wrong.text);
    expect(sessionCookie(wrong)).toBeUndefined();
  });

  it('cannot log in as the seeded author, who has no password', async () => {
    t = makeTestApp();
    const res = await request(t.app).post('/admin/login/').type('form').send({ email: '', password: '' });
    expect(res.status).toBe(401);
  });

  it('gives a new session id at login, so a session id known before it is worthless', async () => {
    t = makeTestApp();
    createAccount(t, 'administrator', 'owner@example.org');
    const first = await request(t.app).post('/admin/login/').type('form').send({ email: 'owner@example.org', password: PASSWORD });
    const known = sessionCookie(first)!.split(';')[0];
    const again = await request(t.app).post('/admin/login/').set('Cookie', known).type('form').send({ email: 'owner@example.org', password: PASSWORD });
    expect(again.status).toBe(303);
    expect(sessionCookie(again)!.split(';')[0]).not.toBe(known);
  });

  it('takes the email and password only from the form, never from the address or a repeated field', async () => {
    t = makeTestApp();
    createAccount(t, 'administrator', 'owner@example.org');
    const inQuery = await request(t.app).post(`/admin/login/?email=owner%40example.org&password=${encodeURIComponent(PASSWORD)}`).type('form').send({});
    expect(inQuery.status).toBe(401);
    const mixed = await request(t.app).post(`/admin/login/?password=${encodeURIComponent(PASSWORD)}`).type('form').send({ email: 'owner@example.org' });
    expect(mixed.status).toBe(401);
    const repeated = await request(t.app).post('/admin/login/').type('form')
      .send(`email=owner%40example.org&email=x&password=${encodeURIComponent(PASSWORD)}`);
    expect(repeated.status).toBe(401);
  });

  it('logs out with the form token, and the old session no longer opens the admin', async () => {
    t = makeTestApp();
    const user = createAccount(t, 'administrator', 'owner@example.org');
    const { agent, csrf } = await logIn(t, user.email!);
    expect(csrf).not.toBe('');
    const forged = await agent.post('/admin/logout/').type('form').send({ _csrf: 'wrong' });
    expect(forged.status).toBe(403);
    expect((await agent.get('/admin/')).status).toBe(200);
    const out = await agent.post('/admin/logout/').type('form').send({ _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/admin/login/?logged-out');
    expect((await agent.get('/admin/login/?logged-out')).text).toContain('You are now logged out.');
    expect((await agent.get('/admin/')).status).toBe(303);
  });

  it('refuses a login form posted from another site', async () => {
    t = makeTestApp();
    createAccount(t, 'administrator', 'owner@example.org');
    const res = await request(t.app).post('/admin/login/').set('Sec-Fetch-Site', 'cross-site').type('form')
      .send({ email: 'owner@example.org', password: PASSWORD });
    expect(res.status).toBe(403);
  });
});

describe('setup page', () => {
  const account = { name: 'Ayu Lestari', email: 'ayu@example.org', password: 'a long enough password' };

  it('makes the first administrator with the start-up token, logs them in, then closes', async () => {
    t = makeTestApp({ setupToken: 'the-printed-token' });
    const agent = request.agent(t.app);
    expect((await agent.get('/admin/setup/')).text).toContain('Setup token');
    const res = await agent.post('/admin/setup/').type('form').send({ ...account, token: 'the-printed-token' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/');
    expect((await agent.get('/admin/')).text).toContain('Ayu Lestari');
    expect((await t.services.users.authenticate('ayu@example.org', account.password))?.role).toBe('administrator');

    const closed = await request(t.app).get('/admin/setup/');
    expect(closed.status).toBe(403);
    expect(closed.text).toContain('set up already');
    const again = await request(t.app).post('/admin/setup/').type('form').send({ ...account, email: 'x@example.org', token: 'the-printed-token' });
    expect(again.status).toBe(403);
    expect(await t.services.users.authenticate('x@example.org', account.password)).toBeNull();
  });

  it('refuses a wrong token and names each problem, keeping what was typed', async () => {
    t = makeTestApp({ setupToken: 'the-printed-token' });
    const wrong = await request(t.app).post('/admin/setup/').type('form').send({ ...account, token: 'guess' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('This is not the setup token');
    expect(wrong.text).toContain('value="Ayu Lestari"');
    expect(wrong.text).not.toContain(account.password);
    const bad = await request(t.app).post('/admin/setup/').type('form').send({ name: '', email: 'nope', password: 'short', token: 'the-printed-token' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter an email address.');
    expect(bad.text).toContain('Use at least 12 characters.');
    expect(bad.text).toContain('value="nope"');
    const blank = await request(t.app).post('/admin/setup/').type('form').send({ ...account, password: ' '.repeat(12), token: 'the-printed-token' });
    expect(blank.status).toBe(422);
    expect(blank.text).toContain('A password cannot be spaces alone.');
    expect(t.services.users.hasAccount()).toBe(false);
  });

  it('is closed when the server was started without a token, or once an account exists', async () => {
    t = makeTestApp();
    expect((await request(t.app).get('/admin/setup/')).status).toBe(403);
    t.close();
    t = makeTestApp({ setupToken: 'tok' });
    createAccount(t);
    const res = await request(t.app).post('/admin/setup/').type('form').send({ ...account, token: 'tok' });
    expect(res.status).toBe(403);
  });
});

describe('session token on admin changes', () => {
  it('refuses an admin POST without the token, or with another session\'s', async () => {
    t = makeTestApp();
    const a = createAccount(t, 'administrator', 'a@example.org');
    const b = createAccount(t, 'administrator', 'b@example.org');
    const first = await logIn(t, a.email!);
    const second = await logIn(t, b.email!);
    expect(first.csrf).not.toBe(second.csrf);
    expect((await first.agent.post('/admin/logout/').type('form').send({})).status).toBe(403);
    expect((await first.agent.post('/admin/logout/').type('form').send({ _csrf: second.csrf })).status).toBe(403);
    expect(csrfFrom((await first.agent.get('/admin/')).text)).toBe(first.csrf);
  });
});
