import dnsPromises from 'node:dns/promises';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields } from '../support/comments.js';
import { startFakeMastodonOAuth, type FakeMastodonOAuth } from '../support/fake-mastodon-oauth.js';
import { MAX_ANSWER_BYTES } from '../../src/services/mastodon-login.js';
import { connectToPublicAddressesOnly } from '../../src/services/public-only-agent.js';
import { testCa } from '../support/test-ca.js';

let t: TestApp | undefined;
let fake: FakeMastodonOAuth | undefined;
afterEach(async () => {
  t?.close();
  await fake?.close();
  t = fake = undefined;
});

async function setup({ allowPrivate = true } = {}) {
  fake = await startFakeMastodonOAuth();
  t = makeTestApp({ env: allowPrivate ? { FEDIVERSE_ALLOW_PRIVATE_ADDRESS: 'true' } : {}, providerTimeoutMs: 1500 });
  return { fake, t };
}

type Agent = ReturnType<typeof request.agent>;
const DRAFT = 'My draft, typed before logging in with Mastodon';

/** Types the instance into the comment form with a draft and presses "Log in with Mastodon". */
async function pressLogin(agent: Agent, instance: string, draft = DRAFT) {
  const page = await agent.get(SEED_PATH);
  return agent.post('/auth/mastodon/').set('Sec-Fetch-Site', 'same-origin').type('form')
    .send({ ...formFields(page.text), comment: draft, mastodon_instance: instance });
}

/** The page that takes the visitor on to the instance: the authorize URL its Refresh header names. */
async function authorizeUrlOf(agent: Agent) {
  const go = await agent.get('/auth/mastodon/go');
  expect(go.status).toBe(200);
  const url = /^0; url=(.+)$/.exec(go.headers.refresh)![1];
  expect(go.text).toContain(`href="${url.replace(/&/g, '&amp;')}"`);
  return url;
}

/** The instance's answer to the authorize request: the callback path on the blog. */
async function atInstance(authorizeUrl: string) {
  const answer = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(answer.status).toBe(302);
  const callback = new URL(answer.headers.get('location')!);
  expect(callback.origin).toBe('http://blog.test');
  return callback.pathname + callback.search;
}

async function logIn(agent: Agent, instance = fake!.host) {
  const start = await pressLogin(agent, instance);
  expect(start.status).toBe(303);
  expect(start.headers.location).toBe('/auth/mastodon/go');
  const back = await agent.get(await atInstance(await authorizeUrlOf(agent)));
  expect(back.status).toBe(303);
  expect(back.headers.location).toBe(`${SEED_PATH}#respond`);
  return agent.get(SEED_PATH);
}

describe('Log in with Mastodon', () => {
  it('offers the box to anonymous readers without a per-visitor token, cacheable as before', async () => {
    await setup();
    const page = await request(t!.app).get(SEED_PATH);
    expect(page.text).toContain('<label for="mastodon_instance">Your Mastodon instance or handle</label>');
    expect(page.text).toContain('formaction="/auth/mastodon/" formnovalidate>Log in with Mastodon</button>');
    expect(page.headers['set-cookie']).toBeUndefined();
    const again = await request(t!.app).get(SEED_PATH);
    expect(again.text).toBe(page.text);
  });

  it('is not offered, and not answered, while the Fediverse is off (Settings)', async () => {
    await setup();
    t!.services.settings.update({ fediverseEnabled: false });
    const page = await request(t!.app).get(SEED_PATH);
    expect(page.text).not.toContain('mastodon_instance');
    const agent = request.agent(t!.app);
    expect((await pressLogin(agent, fake!.host)).status).toBe(404);
    expect((await agent.get('/auth/mastodon/callback?code=x&state=y')).status).toBe(404);
    expect(fake!.requests).toEqual([]);
  });

  it('runs the whole dance, keeps the draft, and posts as the Mastodon account', async () => {
    await setup();
    const agent = request.agent(t!.app);
    const loggedIn = await logIn(agent, `@alice@${fake!.host}`);
    expect(loggedIn.text).toContain(`You are commenting using your Mastodon account @alice@${fake!.host}.`);
    expect(loggedIn.text).toContain('<strong>Alice Fedi</strong>');
    expect(loggedIn.text).toContain(`${DRAFT}</textarea>`);
    expect(loggedIn.text).toContain('formaction="/auth/logout/"');
    expect(loggedIn.text).not.toContain('id="mastodon_instance"');
    // The app was registered with the blog's name, address and callback, asking for `profile` (advertised).
    expect(fake!.registrations).toMatchObject([{
      client_name: 'IMers Blog', redirect_uris: 'http://blog.test/auth/mastodon/callback', website: 'http://blog.test', scopes: 'profile',
    }]);
    expect(fake!.scopesAsked).toEqual(['profile']);
    expect(fake!.pkceFailures).toBe(0);

    const posted = await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...formFields(loggedIn.text), comment: 'Posted with my Mastodon account' });
    expect(posted.status).toBe(303);
    const row = t!.db.prepare('SELECT author_name, commenter_id FROM comments').get() as { author_name: string; commenter_id: number };
    expect(row.author_name).toBe('Alice Fedi');
    expect(t!.db.prepare('SELECT provider, provider_uid, picture_url, profile_url FROM commenters WHERE id = ?').get(row.commenter_id)).toEqual({
      provider: 'fediverse', provider_uid: fake!.actorUri, picture_url: fake!.account.avatar, profile_url: `${fake!.origin}/@alice`,
    });
    const post = await agent.get(SEED_PATH);
    expect(post.text).toContain('Posted with my Mastodon account');
    expect(post.text).toContain(`href="${fake!.origin}/@alice"`);
    expect(post.text).toContain(`src="${fake!.account.avatar}"`);
  });

  it('registers the app once and reuses it for the next login', async () => {
    await setup();
    await logIn(request.agent(t!.app));
    await logIn(request.agent(t!.app), `https://${fake!.host}/`);
    expect(fake!.registrations).toHaveLength(1);
    expect(fake!.requests.filter((r) => r === 'POST /api/v1/apps')).toHaveLength(1);
  });

  it('registers again and restarts the login once when the instance forgot the app', async () => {
    await setup();
    await logIn(request.agent(t!.app));
    const agent = request.agent(t!.app);
    await pressLogin(agent, fake!.host);
    const callback = await atInstance(await authorizeUrlOf(agent));
    fake!.forgetApps();
    // The token endpoint answers invalid_client: the blog registers anew and sends the visitor to authorize again.
    const restarted = await agent.get(callback);
    expect(restarted.status).toBe(303);
    expect(restarted.headers.location).toMatch(new RegExp(`^${fake!.origin}/oauth/authorize\\?`));
    expect(fake!.registrations).toHaveLength(2);
    const back = await agent.get(await atInstance(restarted.headers.location));
    expect(back.headers.location).toBe(`${SEED_PATH}#respond`);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain(`You are commenting using your Mastodon account @alice@${fake!.host}.`);
    expect(page.text).toContain(`${DRAFT}</textarea>`);
  });

  it('asks for read:accounts from an instance that does not advertise the profile scope (before 4.3), resolving the actor by WebFinger', async () => {
    await setup();
    fake!.advertiseProfileScope = false;
    fake!.account.sendUri = false;
    const page = await logIn(request.agent(t!.app));
    expect(page.text).toContain(`You are commenting using your Mastodon account @alice@${fake!.host}.`);
    expect(fake!.scopesAsked).toEqual(['read:accounts']);
    expect(fake!.registrations[0].scopes).toBe('read:accounts');
    expect(fake!.requests).toContain(`GET /.well-known/webfinger?resource=${encodeURIComponent(`acct:alice@${fake!.host}`)}`);
    expect(t!.db.prepare('SELECT provider_uid FROM commenters').get()).toEqual({ provider_uid: fake!.actorUri });
  });

  it('sends a PKCE verifier the instance checks: a code issued for another challenge is refused', async () => {
    await setup();
    const agent = request.agent(t!.app);
    await pressLogin(agent, fake!.host);
    const authorize = new URL(await authorizeUrlOf(agent));
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    // Someone swapped the challenge on the way: the blog's verifier no longer matches it.
    authorize.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const back = await agent.get(await atInstance(authorize.href));
    expect(fake!.pkceFailures).toBe(1);
    expect(back.headers.location).toBe(`${SEED_PATH}#respond`);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('Logging in did not work, so you are not logged in. Your comment is still here.');
    expect(page.text).toContain(`${DRAFT}</textarea>`);
  });

  it('refuses a replayed callback and one with another browser’s state', async () => {
    await setup();
    const alice = request.agent(t!.app);
    await pressLogin(alice, fake!.host);
    const callback = await atInstance(await authorizeUrlOf(alice));

    // Another browser with a login of its own in progress opens Alice's link: the state is not its own.
    const other = request.agent(t!.app);
    await pressLogin(other, fake!.host, 'Other draft');
    await authorizeUrlOf(other);
    const foreign = await other.get(callback);
    expect(foreign.headers.location).toBe(`${SEED_PATH}#respond`);
    const otherPage = await other.get(SEED_PATH);
    expect(otherPage.text).toContain('That login link was already used or was opened in another browser, so you are not logged in.');
    expect(otherPage.text).not.toContain('You are commenting using');

    // A browser with no session at all: a page says the login ended.
    const stranger = await request(t!.app).get(callback);
    expect(stranger.status).toBe(400);
    expect(stranger.text).toContain('This login has already ended');

    await alice.get(callback);
    // Used once: the same link again logs nobody else in and changes nothing.
    const replayed = await request.agent(t!.app).get(callback);
    expect(replayed.status).toBe(400);
    expect(t!.db.prepare('SELECT COUNT(*) AS n FROM commenters').get()).toEqual({ n: 1 });
  });

  it('brings a visitor who denied access back with the message and the draft', async () => {
    await setup();
    fake!.mode = 'deny';
    const agent = request.agent(t!.app);
    await pressLogin(agent, fake!.host);
    const back = await agent.get(await atInstance(await authorizeUrlOf(agent)));
    expect(back.headers.location).toBe(`${SEED_PATH}#respond`);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('Logging in did not work, so you are not logged in. Your comment is still here.');
    expect(page.text).toContain(`${DRAFT}</textarea>`);
    expect(t!.db.prepare('SELECT COUNT(*) AS n FROM commenters').get()).toEqual({ n: 0 });
  });

  it('says so when the instance does not answer in time', async () => {
    await setup();
    fake!.mode = 'slow';
    const agent = request.agent(t!.app);
    await pressLogin(agent, fake!.host);
    const back = await agent.get(await atInstance(await authorizeUrlOf(agent)));
    expect(back.headers.location).toBe(`${SEED_PATH}#respond`);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('The login provider did not answer in time. Please try again.');
    expect(page.text).toContain(`${DRAFT}</textarea>`);
  });

  it.each(['not a host!', 'http://mastodon.social', 'mastodon.social/@alice', '@alice@', 'alice smith@mastodon.social', 'a..b', ''])(
    'refuses %j as an instance, in the form, with the draft kept and nothing fetched', async (typed) => {
      await setup();
      const agent = request.agent(t!.app);
      const start = await pressLogin(agent, typed);
      expect(start.status).toBe(303);
      expect(start.headers.location).toBe(`${SEED_PATH}#respond`);
      const page = await agent.get(SEED_PATH);
      expect(page.text).toContain('That is not a Mastodon instance or handle. Type one like mastodon.social or @alice@mastodon.social.');
      expect(page.text).toContain(`${DRAFT}</textarea>`);
      expect(fake!.requests).toEqual([]);
    });

  it('gives up on an instance whose answer is larger than an API answer can be, reading no further, with the draft kept', async () => {
    await setup();
    fake!.metadataBytes = MAX_ANSWER_BYTES + 1;
    const agent = request.agent(t!.app);
    const start = await pressLogin(agent, fake!.host);
    expect(start.headers.location).toBe(`${SEED_PATH}#respond`);
    const page = await agent.get(SEED_PATH);
    expect(page.text).toContain('Logging in did not work, so you are not logged in. Your comment is still here.');
    expect(page.text).toContain(`${DRAFT}</textarea>`);
    expect(fake!.registrations).toEqual([]);
  });

  it('refuses an instance at a private address unless FEDIVERSE_ALLOW_PRIVATE_ADDRESS is set, asking it nothing', async () => {
    await setup({ allowPrivate: false });
    const agent = request.agent(t!.app);
    for (const instance of [fake!.host, `@alice@${fake!.host}`, `localhost:${new URL(fake!.origin).port}`]) {
      await pressLogin(agent, instance);
      const page = await agent.get(SEED_PATH);
      expect(page.text).toContain('That instance is at a private network address, so this blog does not log in through it.');
      expect(page.text).toContain(`${DRAFT}</textarea>`);
    }
    expect(fake!.requests).toEqual([]);
  });

  it('does not connect to an instance whose name turns private after it was checked (DNS rebinding)', async () => {
    await setup({ allowPrivate: false });
    // As main.ts does when private addresses are not allowed, and trusting the fake's test CA besides.
    const undo = connectToPublicAddressesOnly({ ca: [(await testCa()).caCert] });
    // The check before each fetch hears a public address for the name; the socket's own lookup then hears 127.0.0.1.
    const check = vi.spyOn(dnsPromises, 'lookup').mockResolvedValue([{ address: '93.184.216.34', family: 4 }] as never);
    try {
      const agent = request.agent(t!.app);
      await pressLogin(agent, `localhost:${new URL(fake!.origin).port}`);
      const page = await agent.get(SEED_PATH);
      expect(check).toHaveBeenCalledWith('localhost', expect.anything());
      expect(page.text).toContain('That instance is at a private network address, so this blog does not log in through it.');
      expect(page.text).toContain(`${DRAFT}</textarea>`);
    } finally {
      check.mockRestore();
      undo();
    }
    expect(fake!.requests).toEqual([]);
  });

  it('is refused from another site, like the other logins', async () => {
    await setup();
    const refused = await request(t!.app).post('/auth/mastodon/').set('Sec-Fetch-Site', 'cross-site').type('form')
      .send({ post_id: '1', comment: 'x', mastodon_instance: fake!.host });
    expect(refused.status).toBe(403);
    expect(fake!.requests).toEqual([]);
  });
});
