import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';
import { startFakeTwitter, type FakeTwitter } from '../support/fake-twitter.js';

let t: TestApp | undefined;
let fake: FakeTwitter | undefined;
afterEach(async () => {
  t?.close();
  await fake?.close();
});

async function setup(env: Record<string, string> = {}, user = {}) {
  fake = await startFakeTwitter({ consumerKey: 'ck', consumerSecret: 'cs', user });
  const clock = manualClock();
  t = makeTestApp({
    now: clock.now,
    providerTimeoutMs: 1000,
    env: {
      TWITTER_CONSUMER_KEY: 'ck', TWITTER_CONSUMER_SECRET: 'cs',
      TWITTER_REQUEST_TOKEN_URL: fake.requestTokenUrl, TWITTER_ACCESS_TOKEN_URL: fake.accessTokenUrl,
      TWITTER_USER_AUTHORIZATION_URL: fake.userAuthorizationUrl, TWITTER_USER_PROFILE_URL: fake.userProfileUrl,
      ...env,
    },
  });
  return clock;
}

async function dance(agent: ReturnType<typeof request.agent>, draft: string) {
  const page = await agent.get(SEED_PATH);
  const start = await agent.post('/auth/twitter/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment: draft });
  expect(start.status).toBe(302);
  const atTwitter = await fetch(start.headers.location, { redirect: 'manual' });
  const callback = new URL(atTwitter.headers.get('location')!);
  return { path: callback.pathname + callback.search, finish: () => agent.get(callback.pathname + callback.search) };
}

describe('logging in with Twitter (OAuth 1.0a) to comment', () => {
  it('signs every request, keeps the draft, posts as the account and logs out', async () => {
    const clock = await setup({}, { name: 'Ani on X', screenName: 'ani', profileImageUrl: 'https://pbs.example/ani.jpg' });
    const agent = request.agent(t!.app);
    expect((await (await dance(agent, 'Draft before Twitter')).finish()).status).toBe(303);
    expect(fake!.signatures.failed).toBe(0);
    expect(fake!.signatures.verified).toBeGreaterThanOrEqual(3);

    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('You are commenting using your Twitter account.');
    expect(page.text).toContain('Ani on X');
    expect(page.text).toContain('src="https://pbs.example/ani.jpg"');
    expect(page.text).toContain('Draft before Twitter</textarea>');

    clock.advance(30);
    const posted = await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment: 'Hello from X' });
    expect(posted.status).toBe(303);
    expect(t!.db.prepare('SELECT c.author_name, m.provider, m.provider_uid FROM comments c JOIN commenters m ON m.id = c.commenter_id').get())
      .toEqual({ author_name: 'Ani on X', provider: 'twitter', provider_uid: fake!.user.id });

    const beforeLogout = await agent.get(SEED_PATH);
    await agent.post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form').send(formFields(beforeLogout.text));
    expect((await agent.get(SEED_PATH)).text).not.toContain('You are commenting using');
  });

  it('takes the identity from the access-token answer alone when the extended profile is skipped', async () => {
    await setup({ TWITTER_SKIP_EXTENDED_PROFILE: 'true' });
    const agent = request.agent(t!.app);
    await (await dance(agent, 'x')).finish();
    expect(fake!.requests.some((r) => r.path.includes('verify_credentials'))).toBe(false);
    expect((await agent.get(SEED_PATH)).text).toContain('You are commenting using your Twitter account.');
  });

  it('comes back with the draft and no identity when the visitor denies access', async () => {
    await setup();
    fake!.mode = 'deny';
    const agent = request.agent(t!.app);
    expect((await (await dance(agent, 'kept after denial')).finish()).status).toBe(303);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('Logging in did not work');
    expect(page.text).toContain('kept after denial</textarea>');
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);
  });

  it('judges "previously approved" by the account, not by a typed email', async () => {
    const clock = await setup();
    const agent = request.agent(t!.app);
    await (await dance(agent, 'x')).finish();
    const post = async (comment: string) => {
      const page = await agent.get(SEED_PATH);
      clock.advance(30);
      await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment });
    };
    await post('first from this account');
    t!.services.moderation.apply('approve', 1);
    await post('second from this account');
    expect(t!.db.prepare('SELECT status FROM comments ORDER BY id').pluck().all()).toEqual(['approved', 'approved']);
  });

  it('comes back to the post with the draft when Twitter is unreachable at the first step', async () => {
    await setup();
    await fake!.close();
    fake = undefined;
    const agent = request.agent(t!.app);
    const page = await agent.get(SEED_PATH);
    const start = await agent.post('/auth/twitter/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment: 'not lost' });
    expect(start.status).toBe(303);
    expect(start.headers.location).toBe(`${SEED_PATH}#respond`);
    const back = await agent.get(SEED_PATH);
    expect(back.text).toContain('Logging in did not work');
    expect(back.text).toContain('not lost</textarea>');
  });

  it('refuses a replayed callback opened in another browser, storing no session', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const { path, finish } = await dance(agent, 'x');
    await finish();
    const sessions = t!.db.prepare('SELECT count(*) FROM sessions').pluck().get();
    const replay = await request.agent(t!.app).get(path);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('This login has already ended');
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect(t!.db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(sessions);
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(1);
  });

  it('refuses a callback carrying another browser’s request token without asking Twitter, and the other login still works', async () => {
    await setup();
    const [a, b] = [request.agent(t!.app), request.agent(t!.app)];
    await dance(a, 'draft in A');
    const fromB = await dance(b, 'draft in B');
    expect(new URL(fromB.path, 'http://blog.test').searchParams.get('oauth_token')).toBeTruthy();
    const asked = fake!.requests.length;

    const crossed = await a.get(fromB.path);
    expect(crossed.status).toBe(303);
    expect(fake!.requests.slice(asked).map((r) => r.path)).not.toContain('/oauth/access_token');
    expect(fake!.signatures.failed).toBe(0);
    const pageA = await a.get(SEED_PATH);
    expect(pageA.text).toContain('Logging in did not work');
    expect(pageA.text).not.toContain('You are commenting using');
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);

    expect((await fromB.finish()).status).toBe(303);
    expect((await b.get(SEED_PATH)).text).toContain('You are commenting using your Twitter account.');
  });
});
