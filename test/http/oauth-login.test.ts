import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';
import { startFakeOAuth2Provider, type FakeOAuth2Provider, type OAuth2Kind } from '../support/fake-oauth2.js';

const PREFIX: Record<OAuth2Kind, string> = { facebook: 'FACEBOOK', google: 'GOOGLE', wordpress: 'WORDPRESS' };
const LABEL: Record<OAuth2Kind, string> = { facebook: 'Facebook', google: 'Google', wordpress: 'WordPress.com' };
/** The providers that document PKCE: their fakes refuse a login without it. WordPress.com documents none. */
const PKCE: Record<OAuth2Kind, boolean> = { facebook: true, google: true, wordpress: false };

function envFor(kind: OAuth2Kind, fake: FakeOAuth2Provider) {
  const p = PREFIX[kind];
  const [id, secret] = kind === 'facebook' ? ['FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET'] : [`${p}_CLIENT_ID`, `${p}_CLIENT_SECRET`];
  const profileVar = kind === 'google' ? 'GOOGLE_USER_PROFILE_URL' : `${p}_PROFILE_URL`;
  return {
    [id]: 'client-id', [secret]: 'client-secret',
    [`${p}_AUTHORIZATION_URL`]: fake.authorizationUrl, [`${p}_TOKEN_URL`]: fake.tokenUrl, [profileVar]: fake.profileUrl,
  };
}

let t: TestApp | undefined;
let fake: FakeOAuth2Provider | undefined;
afterEach(async () => {
  t?.close();
  await fake?.close();
});

/** Clicks the provider's icon with a draft typed, lets the fake provider answer, and returns the callback response. */
async function loginDance(agent: ReturnType<typeof request.agent>, kind: OAuth2Kind, draft = 'My draft, typed before logging in') {
  const page = await agent.get(SEED_PATH);
  const start = await agent.post(`/auth/${kind}/`).set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment: draft });
  expect(start.status).toBe(302);
  const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
  const callback = new URL(atProvider.headers.get('location')!);
  expect(callback.origin).toBe('http://blog.test');
  return { callbackPath: callback.pathname + callback.search, finish: () => agent.get(callback.pathname + callback.search) };
}

describe.each(['google', 'facebook', 'wordpress'] as const)('logging in with %s to comment', (kind) => {
  async function setup(profile = {}, env: Record<string, string> = {}) {
    fake = await startFakeOAuth2Provider({ kind, clientId: 'client-id', clientSecret: 'client-secret', profile, requirePkce: PKCE[kind] });
    const clock = manualClock();
    t = makeTestApp({ env: { ...envFor(kind, fake), ...env }, now: clock.now, providerTimeoutMs: 500 });
    return clock;
  }

  it('shows the icon, runs the whole dance, keeps the draft, posts as the account and logs out', async () => {
    const clock = await setup({ name: 'Ani Account', picture: 'https://img.example/ani.png' });
    const agent = request.agent(t!.app);
    const before = await agent.get(SEED_PATH);
    expect(before.text).toContain('Fill in your details below, or log in with an account under the form.');
    // Under the comment's own button, which stays the form's first submit button: Enter in a field posts the comment.
    const form = before.text.slice(before.text.indexOf('<form action="/comments/"'));
    const postButton = form.indexOf('<button type="submit">Post Comment</button>');
    expect(form.indexOf('type="submit"')).toBe(postButton + '<button '.length);
    expect(form.indexOf(`formaction="/auth/${kind}/"`)).toBeGreaterThan(postButton);

    const { finish } = await loginDance(agent, kind);
    const back = await finish();
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(`${SEED_PATH}#respond`);

    const loggedIn = await agent.get(SEED_PATH);
    expect(loggedIn.text).toContain(`You are commenting using your ${LABEL[kind]} account.`);
    expect(loggedIn.text).toContain('Ani Account');
    expect(loggedIn.text).toContain('My draft, typed before logging in</textarea>');
    expect(loggedIn.text).not.toContain('id="author"');

    clock.advance(30);
    const posted = await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(loggedIn.text), comment: 'Posted with my account' });
    expect(posted.status).toBe(303);
    const row = t!.db.prepare('SELECT author_name, commenter_id FROM comments').get() as { author_name: string; commenter_id: number };
    expect(row.author_name).toBe('Ani Account');
    const commenter = t!.db.prepare('SELECT provider, picture_url FROM commenters WHERE id = ?').get(row.commenter_id);
    expect(commenter).toEqual({ provider: kind, picture_url: 'https://img.example/ani.png' });

    const beforeLogout = await agent.get(SEED_PATH);
    const noToken = await agent.post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: '1' });
    expect(noToken.status).toBe(403);
    const afterLogout = await agent.post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(beforeLogout.text), comment: 'kept' });
    expect(afterLogout.status).toBe(303);
    const page = await agent.get(SEED_PATH);
    expect(page.text).not.toContain('You are commenting using');
    expect(page.text).toContain('kept</textarea>');
  });

  it.runIf(PKCE[kind])('proves the login with PKCE (S256): the challenge to the provider, the verifier with the code', async () => {
    await setup();
    const agent = request.agent(t!.app);
    await (await loginDance(agent, kind)).finish();
    const authorize = fake!.requests.find((r) => r.path === '/authorize')!;
    expect(authorize.query.code_challenge_method).toBe('S256');
    const token = fake!.requests.find((r) => r.path === '/token')!;
    expect(createHash('sha256').update(token.body.code_verifier ?? '').digest('base64url')).toBe(authorize.query.code_challenge);
    expect((await agent.get(SEED_PATH)).text).toContain(`You are commenting using your ${LABEL[kind]} account.`);
  });

  it('lets the form buttons redirect to the provider under the Content-Security-Policy', async () => {
    await setup();
    const res = await request(t!.app).get(SEED_PATH);
    expect(res.headers['content-security-policy']).toContain(`form-action 'self' ${new URL(fake!.authorizationUrl).origin}`);
  });

  it('refuses a logged-in visitor’s comment without the session’s CSRF token', async () => {
    const clock = await setup();
    const agent = request.agent(t!.app);
    await (await loginDance(agent, kind)).finish();
    clock.advance(30);
    const res = await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ post_id: '1', comment: 'no token' });
    expect(res.status).toBe(403);
  });

  it('comes back with a message and the draft when the visitor denies access, storing no identity', async () => {
    await setup();
    fake!.mode = 'deny';
    const agent = request.agent(t!.app);
    const back = await (await loginDance(agent, kind, 'still here')).finish();
    expect(back.status).toBe(303);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('Logging in did not work');
    expect(page.text).toContain('still here</textarea>');
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);
  });

  it.each(['error', 'slow'] as const)('comes back with a message when the provider answers %s, storing nothing', async (mode) => {
    await setup();
    fake!.mode = mode;
    fake!.slowMs = 3000;
    const agent = request.agent(t!.app);
    const back = await (await loginDance(agent, kind, 'draft kept')).finish();
    expect(back.status).toBe(303);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toMatch(/Logging in did not work|did not answer in time/);
    expect(page.text).toContain('draft kept</textarea>');
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);
  });

  it('comes back with a message when the provider is unreachable', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const { finish } = await loginDance(agent, kind, 'draft kept');
    await fake!.close();
    fake = undefined;
    expect((await finish()).status).toBe(303);
    expect((await agent.get(SEED_PATH)).text).toContain('Logging in did not work');
  });

  it('regenerates the session id at login and sets an HttpOnly, SameSite=Lax cookie', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const page = await agent.get(SEED_PATH);
    const start = await agent.post(`/auth/${kind}/`).set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text) });
    const before = /blog\.sid=([^;]+)/.exec(String(start.headers['set-cookie']))![1];
    expect(String(start.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(String(start.headers['set-cookie'])).toMatch(/SameSite=Lax/);
    const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
    const callback = new URL(atProvider.headers.get('location')!);
    const done = await agent.get(callback.pathname + callback.search);
    const after = /blog\.sid=([^;]+)/.exec(String(done.headers['set-cookie']))![1];
    expect(after).not.toBe(before);
  });

  it('refuses a wrong state and a replayed callback', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const { callbackPath, finish } = await loginDance(agent, kind);
    const tampered = callbackPath.replace(/state=[^&]+/, 'state=forged');
    expect((await agent.get(tampered)).status).toBe(303);
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);
    // The forged state used up the login in progress: the genuine callback now has none to finish.
    expect((await finish()).status).toBe(303);
    const replay = await request.agent(t!.app).get(callbackPath);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('This login has already ended');
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);
  });

  it('shows a hostile display name as text and drops a javascript: picture', async () => {
    await setup({ name: '<img src=x onerror=alert(1)>', picture: 'javascript:alert(1)' });
    const agent = request.agent(t!.app);
    await (await loginDance(agent, kind)).finish();
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).not.toContain('javascript:alert');
  });
});

describe('a callback without a code', () => {
  it('says no login is in progress, starts none, and leaves no timer to crash the server', async () => {
    fake = await startFakeOAuth2Provider({ kind: 'google', clientId: 'client-id', clientSecret: 'client-secret' });
    t = makeTestApp({ env: envFor('google', fake), providerTimeoutMs: 100 });
    const res = await request(t.app).get('/auth/google/callback');
    expect(res.status).toBe(400);
    expect(res.text).toContain('This login has already ended');
    expect(fake.requests).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await request(t.app).get('/').expect(200);
  });
});

describe('starting logins', () => {
  it('limits each visitor to ten starts a minute', async () => {
    fake = await startFakeOAuth2Provider({ kind: 'google', clientId: 'client-id', clientSecret: 'client-secret' });
    t = makeTestApp({ env: envFor('google', fake) });
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await request(t.app).post('/auth/google/').type('form').send({ post_id: '1' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 302)).toBe(true);
    expect(statuses[10]).toBe(429);
    const refused = await request(t.app).post('/auth/google/').type('form').send({ post_id: '1' });
    expect(refused.text).toContain('You have sent too many requests');
    expect(refused.text).toContain('class="site-header"');
  });
});

describe('session cookie on https', () => {
  it('is Secure when PUBLIC_URL is https', async () => {
    fake = await startFakeOAuth2Provider({ kind: 'google', clientId: 'client-id', clientSecret: 'client-secret' });
    t = makeTestApp({ env: { ...envFor('google', fake), PUBLIC_URL: 'https://blog.test', TRUST_PROXY: 'true' } });
    const res = await request(t.app).post('/auth/google/').set('X-Forwarded-Proto', 'https').type('form').send({ post_id: '1' });
    expect(res.status).toBe(302);
    expect(String(res.headers['set-cookie'])).toMatch(/blog\.sid=[^;]+;.*HttpOnly; Secure; SameSite=Lax/);
  });
});

describe('with no provider configured', () => {
  it('reads "Fill in your details below:" and shows no icons', async () => {
    t = makeTestApp();
    const page = await request(t.app).get(SEED_PATH);
    expect(page.text).toContain('Fill in your details below:');
    // Log in with Mastodon needs no credentials (test/http/mastodon-login.test.ts): no provider's icon is here.
    expect(page.text).not.toMatch(/formaction="\/auth\/(?:twitter|facebook|google|wordpress)\//);
    expect((await request(t.app).post('/auth/google/').type('form').send({})).status).toBe(404);
  });
});
