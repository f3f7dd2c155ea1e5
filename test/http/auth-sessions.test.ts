import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields } from '../support/comments.js';
import { startFakeOAuth2Provider, type FakeOAuth2Provider } from '../support/fake-oauth2.js';

const COMMENT_LIMIT = 65525;
const HOUR = 3600_000;
const DAY = 86400_000;

let t: TestApp | undefined;
let fake: FakeOAuth2Provider | undefined;
afterEach(async () => {
  t?.close();
  await fake?.close();
  t = fake = undefined;
});

async function setup(env: Record<string, string> = {}) {
  fake = await startFakeOAuth2Provider({ kind: 'google', clientId: 'client-id', clientSecret: 'client-secret' });
  t = makeTestApp({
    env: {
      GOOGLE_CLIENT_ID: 'client-id', GOOGLE_CLIENT_SECRET: 'client-secret',
      GOOGLE_AUTHORIZATION_URL: fake.authorizationUrl, GOOGLE_TOKEN_URL: fake.tokenUrl, GOOGLE_USER_PROFILE_URL: fake.profileUrl,
      ...env,
    },
  });
  return t;
}

const sessionRows = () => t!.db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
const expiries = () => t!.db.prepare('SELECT expires_at FROM sessions').pluck().all() as number[];

/** Clicks the Google icon of the seeded post's form with `comment` typed. */
async function startLogin(agent: ReturnType<typeof request.agent>, comment: string) {
  const page = await agent.get(SEED_PATH);
  return agent.post('/auth/google/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment });
}

describe('POST /auth/logout/ without a login', () => {
  it('goes back to the post’s form and stores nothing: no session row, no cookie', async () => {
    await setup();
    const res = await request(t!.app).post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ post_id: '1', comment: 'typed after my session ended' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${SEED_PATH}#respond`);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(sessionRows()).toBe(0);
  });
});

describe('the draft kept across a login', () => {
  it('refuses a 1 MB comment with a page that says it is too long, storing nothing', async () => {
    await setup();
    const res = await startLogin(request.agent(t!.app), 'a'.repeat(1_000_000));
    expect(res.status).toBe(413);
    expect(res.text).toContain('Your comment is too long');
    expect(res.text).toContain('Back button');
    expect(res.text).toContain('class="site-header"');
    expect(sessionRows()).toBe(0);
  });

  it('refuses a comment one character over the limit, and keeps one at the limit whole', async () => {
    await setup();
    const over = await startLogin(request.agent(t!.app), 'c'.repeat(COMMENT_LIMIT + 1));
    expect(over.status).toBe(413);
    expect(over.text).toContain('Your comment is too long');
    expect(sessionRows()).toBe(0);

    const agent = request.agent(t!.app);
    const atLimit = 'b'.repeat(COMMENT_LIMIT);
    expect((await startLogin(agent, atLimit)).status).toBe(302);
    expect((await agent.get(SEED_PATH)).text).toContain(`>${atLimit}</textarea>`);
  });

  it('lives about an hour while no one is logged in, and the normal 30 days once the login completes', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const start = await startLogin(agent, 'a draft');
    expect(start.status).toBe(302);
    expect(String(start.headers['set-cookie'])).toMatch(/Expires=/);
    const [draftOnly] = expiries();
    expect(draftOnly).toBeGreaterThan(Date.now() + HOUR - 60_000);
    expect(draftOnly).toBeLessThan(Date.now() + HOUR + 60_000);

    const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
    const callback = new URL(atProvider.headers.get('location')!);
    expect((await agent.get(callback.pathname + callback.search)).status).toBe(303);
    const [loggedIn] = expiries();
    expect(expiries()).toHaveLength(1);
    expect(loggedIn).toBeGreaterThan(Date.now() + 29 * DAY);
    expect((await agent.get(SEED_PATH)).text).toContain('a draft</textarea>');
  });

  it('goes back to an hour when the visitor logs out with a draft', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const start = await startLogin(agent, 'x');
    const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
    const callback = new URL(atProvider.headers.get('location')!);
    await agent.get(callback.pathname + callback.search);
    const page = await agent.get(SEED_PATH);
    const out = await agent.post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(page.text), comment: 'kept after logging out' });
    expect(out.status).toBe(303);
    expect(expiries()).toHaveLength(1);
    expect(expiries()[0]).toBeLessThan(Date.now() + HOUR + 60_000);
    const after = await agent.get(SEED_PATH);
    expect(after.text).not.toContain('You are commenting using');
    expect(after.text).toContain('kept after logging out</textarea>');
  });
});

describe('/auth/* rate limit', () => {
  it('answers the 11th request in a minute from one address with 429, whatever the step, and not other addresses', async () => {
    await setup({ TRUST_PROXY: 'loopback' });
    const from = (ip: string) => ({ 'X-Forwarded-For': ip, 'Sec-Fetch-Site': 'same-origin' });
    const steps = [
      () => request(t!.app).post('/auth/google/').set(from('203.0.113.7')).type('form').send({ post_id: '1' }),
      () => request(t!.app).get('/auth/google/callback?code=x&state=y').set(from('203.0.113.7')),
      () => request(t!.app).post('/auth/logout/').set(from('203.0.113.7')).type('form').send({ post_id: '1' }),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await steps[i % 3]()).status);
    expect(statuses.every((s) => s !== 429)).toBe(true);

    for (const step of steps) {
      const refused = await step();
      expect(refused.status).toBe(429);
      expect(refused.text).toContain('You have sent too many requests');
    }
    const other = await request(t!.app).post('/auth/google/').set(from('198.51.100.4')).type('form').send({ post_id: '1' });
    expect(other.status).toBe(302);
  });
});
