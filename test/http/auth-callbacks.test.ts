import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields } from '../support/comments.js';
import { startFakeOAuth2Provider, type FakeOAuth2Provider } from '../support/fake-oauth2.js';

let t: TestApp | undefined;
let fake: FakeOAuth2Provider | undefined;
afterEach(async () => {
  t?.close();
  await fake?.close();
  t = fake = undefined;
});

async function setup() {
  fake = await startFakeOAuth2Provider({ kind: 'google', clientId: 'client-id', clientSecret: 'client-secret', requirePkce: true });
  t = makeTestApp({
    env: {
      GOOGLE_CLIENT_ID: 'client-id', GOOGLE_CLIENT_SECRET: 'client-secret',
      GOOGLE_AUTHORIZATION_URL: fake.authorizationUrl, GOOGLE_TOKEN_URL: fake.tokenUrl, GOOGLE_USER_PROFILE_URL: fake.profileUrl,
    },
  });
}

type Agent = ReturnType<typeof request.agent>;
const sessionRows = () => t!.db.prepare('SELECT count(*) FROM sessions').pluck().get() as number;
const FAILED = 'Logging in did not work';
const LOGGED_IN = 'You are commenting using your Google account.';

/** Clicks the Google icon on a post, lets the fake provider answer, and returns the callback's path. */
async function startLogin(agent: Agent, path = SEED_PATH, comment = 'my draft') {
  const page = await agent.get(path);
  const start = await agent.post('/auth/google/').set('Sec-Fetch-Site', 'same-origin').type('form').send({ ...formFields(page.text), comment });
  expect(start.status).toBe(302);
  const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
  const callback = new URL(atProvider.headers.get('location')!);
  return callback.pathname + callback.search;
}

describe('GET /auth/:provider/callback with no login in progress', () => {
  it('answers a page saying the login has ended when opened in another browser, storing no session', async () => {
    await setup();
    const callback = await startLogin(request.agent(t!.app));
    const rows = sessionRows();
    const elsewhere = await request.agent(t!.app).get(callback);
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('This login has already ended');
    expect(elsewhere.text).toContain('click the icon again');
    expect(elsewhere.text).toContain('class="site-header"');
    expect(elsewhere.headers['set-cookie']).toBeUndefined();
    expect(sessionRows()).toBe(rows);
    expect(t!.db.prepare('SELECT count(*) FROM commenters').pluck().get()).toBe(0);
  });

  it('keeps a logged-in commenter who replays an old callback logged in, with no failure message', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const callback = await startLogin(agent);
    await agent.get(callback).expect(303);
    const replay = await agent.get(callback);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe(`${SEED_PATH}#respond`);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain(LOGGED_IN);
    expect(page.text).not.toContain(FAILED);
    expect(page.text).not.toContain('not logged in');
  });

  it('brings a visitor who logged out back to the post, told they are not logged in', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const callback = await startLogin(agent);
    await agent.get(callback).expect(303);
    const page = await agent.get(SEED_PATH);
    await agent.post('/auth/logout/').set('Sec-Fetch-Site', 'same-origin').type('form').send(formFields(page.text)).expect(303);
    await agent.get(SEED_PATH);

    const replay = await agent.get(callback);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe(`${SEED_PATH}#respond`);
    const back = await agent.get(SEED_PATH);
    expect(back.text).toContain('That login link was already used or was opened in another browser, so you are not logged in.');
    expect(back.text).not.toContain(LOGGED_IN);
  });
});

describe('the message of a failed login', () => {
  it('is shown once on the post the visitor came from, and never surfaces on a different post or later', async () => {
    await setup();
    const otherPath = t!.services.posts.permalinkOf(addPost(t!, { slug: 'another-post' }))!;
    fake!.mode = 'deny';
    const agent = request.agent(t!.app);
    await agent.get(await startLogin(agent)).expect(303);
    // The visitor opens another post before the one they were sent back to: said nowhere.
    expect((await agent.get(otherPath)).text).not.toContain(FAILED);
    expect((await agent.get(SEED_PATH)).text).not.toContain(FAILED);

    await agent.get(await startLogin(agent)).expect(303);
    expect((await agent.get(SEED_PATH)).text).toContain(FAILED);
    expect((await agent.get(SEED_PATH)).text).not.toContain(FAILED);
    expect((await agent.get(otherPath)).text).not.toContain(FAILED);
  });
});
