import { createHash, createHmac } from 'node:crypto';
import { OAuth } from 'oauth';
import { Strategy as FacebookStrategy } from 'passport-facebook';
import { Strategy as GoogleStrategy } from 'passport-google-oauth20';
import { Strategy as OAuth2Strategy } from 'passport-oauth2';
import { Strategy as TwitterStrategy } from 'passport-twitter';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOAuth2Provider, type FakeOAuth2Provider, type OAuth2Kind } from '../support/fake-oauth2.js';
import { hmacSha1Signature, startFakeTwitter, type FakeTwitter } from '../support/fake-twitter.js';

const CALLBACK = 'http://blog.test/auth/callback';
const CLIENT = { clientId: 'blog-client', clientSecret: 'blog-secret' };
const CONSUMER = { consumerKey: 'blog-key', consumerSecret: 'blog-consumer-secret' };

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function oauth2(kind: OAuth2Kind, extra: Partial<Parameters<typeof startFakeOAuth2Provider>[0]> = {}) {
  const provider = await startFakeOAuth2Provider({ kind, ...CLIENT, ...extra });
  running.push(provider);
  return provider;
}

async function twitter(extra: Partial<Parameters<typeof startFakeTwitter>[0]> = {}) {
  const fake = await startFakeTwitter({ ...CONSUMER, ...extra });
  running.push(fake);
  return fake;
}

/** GET the authorize endpoint and return where it sends the browser. */
async function authorize(p: FakeOAuth2Provider, params: Record<string, string> = {}) {
  const query = { response_type: 'code', client_id: CLIENT.clientId, redirect_uri: CALLBACK, state: 'st4te', scope: 'email', ...params };
  const res = await fetch(`${p.authorizationUrl}?${new URLSearchParams(query)}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

async function exchange(p: FakeOAuth2Provider, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...fields });
  const res = await fetch(p.tokenUrl, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const withSecret = (code: string) => ({ code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });

describe('startFakeOAuth2Provider', () => {
  it.each([
    ['facebook', '/me?fields=id,name,email,picture.type(large),link', { id: '4242', name: 'Ayu Lestari', email: 'ayu@example.com', link: 'https://facebook.example.com/4242' }],
    ['google', '', { sub: '108123456789012345678', given_name: 'Ayu', family_name: 'Lestari', email_verified: true }],
    ['wordpress', '', { ID: 4242, display_name: 'Ayu Lestari', username: 'ayulestari', avatar_URL: 'https://images.example.com/wordpress/4242.jpg' }],
  ] as const)('runs the code flow over plain HTTP and answers a %s-shaped profile', async (kind, path, expected) => {
    const p = await oauth2(kind);
    const back = await authorize(p);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('st4te');

    const token = await exchange(p, withSecret(back.searchParams.get('code') ?? ''));
    expect(token.status).toBe(200);
    expect(token.json).toMatchObject({ token_type: 'bearer', expires_in: 3600 });

    const url = path ? p.url + path : p.profileUrl;
    const me = await fetch(url, { headers: { authorization: `Bearer ${token.json.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject(expected);
    expect(p.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /authorize', 'POST /token', `GET ${new URL(url).pathname}`]);
  });

  it('refuses a replayed code with invalid_grant', async () => {
    const p = await oauth2('google');
    const code = (await authorize(p)).searchParams.get('code') ?? '';
    expect((await exchange(p, withSecret(code))).status).toBe(200);
    expect(await exchange(p, withSecret(code))).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('refuses a redirect_uri that differs from the one given at authorize', async () => {
    const p = await oauth2('wordpress');
    const code = (await authorize(p)).searchParams.get('code') ?? '';
    const res = await exchange(p, { ...withSecret(code), redirect_uri: 'http://evil.test/cb' });
    expect(res).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('takes client credentials by HTTP Basic and refuses a wrong secret', async () => {
    const p = await oauth2('google');
    const basic = (secret: string) => ({ authorization: 'Basic ' + Buffer.from(`${CLIENT.clientId}:${secret}`).toString('base64') });
    const first = (await authorize(p)).searchParams.get('code') ?? '';
    expect((await exchange(p, { code: first }, basic('nope'))).json).toMatchObject({ error: 'invalid_client' });
    const second = (await authorize(p)).searchParams.get('code') ?? '';
    expect((await exchange(p, { code: second }, basic(CLIENT.clientSecret))).status).toBe(200);
  });

  it('shows an error page for an unknown client_id instead of redirecting', async () => {
    const p = await oauth2('facebook');
    const res = await fetch(`${p.authorizationUrl}?response_type=code&client_id=other&redirect_uri=${CALLBACK}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Invalid client_id');
  });

  it('sends the user back with access_denied in deny mode, with error_reason as Facebook does', async () => {
    const p = await oauth2('facebook', { mode: 'deny' });
    const back = await authorize(p);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'access_denied', error_reason: 'user_denied', state: 'st4te' });
    expect(back.searchParams.has('code')).toBe(false);
  });

  it('answers 500 with an OAuth error from the token endpoint in error mode', async () => {
    const p = await oauth2('google');
    const code = (await authorize(p)).searchParams.get('code') ?? '';
    p.mode = 'error';
    expect(await exchange(p, withSecret(code))).toMatchObject({ status: 500, json: { error: 'server_error' } });
  });

  it('stalls the token endpoint in slow mode, and close() still returns at once', async () => {
    const p = await oauth2('wordpress', { mode: 'slow', slowMs: 30_000 });
    const code = (await authorize(p)).searchParams.get('code') ?? '';
    const body = new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...withSecret(code) });
    await expect(fetch(p.tokenUrl, { method: 'POST', body, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const started = Date.now();
    await p.close();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('checks the PKCE code_verifier when authorize was given a code_challenge', async () => {
    const p = await oauth2('google');
    const challenge = createHash('sha256').update('the-verifier').digest('base64url');
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const a = (await authorize(p, pkce)).searchParams.get('code') ?? '';
    expect((await exchange(p, { ...withSecret(a), code_verifier: 'wrong' })).json).toMatchObject({ error: 'invalid_grant' });
    const b = (await authorize(p, pkce)).searchParams.get('code') ?? '';
    expect((await exchange(p, { ...withSecret(b), code_verifier: 'the-verifier' })).status).toBe(200);
  });

  it('refuses an authorization request without an S256 code_challenge when PKCE is required', async () => {
    const p = await oauth2('google', { requirePkce: true });
    const without = await authorize(p);
    expect(Object.fromEntries(without.searchParams)).toMatchObject({ error: 'invalid_request', state: 'st4te' });
    expect(without.searchParams.has('code')).toBe(false);
    const plain = await authorize(p, { code_challenge: 'the-verifier', code_challenge_method: 'plain' });
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    const challenge = createHash('sha256').update('the-verifier').digest('base64url');
    const s256 = await authorize(p, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(s256.searchParams.has('code')).toBe(true);
  });

  it('requires the access token at the profile endpoint and checks appsecret_proof', async () => {
    const p = await oauth2('facebook');
    const code = (await authorize(p)).searchParams.get('code') ?? '';
    const token = String((await exchange(p, withSecret(code))).json.access_token);
    const noToken = await fetch(p.profileUrl);
    expect(noToken.status).toBe(400);
    expect(await noToken.json()).toMatchObject({ error: { type: 'OAuthException', code: 190 } });
    const proof = createHmac('sha256', CLIENT.clientSecret).update(token).digest('hex');
    expect((await fetch(`${p.profileUrl}?access_token=${token}&appsecret_proof=${proof}`)).status).toBe(200);
    expect((await fetch(`${p.profileUrl}?access_token=${token}&appsecret_proof=0000`)).status).toBe(400);
  });

  it('listens on 127.0.0.1 only', async () => {
    const p = await oauth2('google');
    expect(new URL(p.url).hostname).toBe('127.0.0.1');
    await expect(fetch(p.profileUrl.replace('127.0.0.1', '[::1]'))).rejects.toThrow();
  });
});

describe('startFakeTwitter', () => {
  it('signs the example from Twitter’s documentation the way Twitter does', () => {
    const params: [string, string][] = [
      ['status', 'Hello Ladies + Gentlemen, a signed OAuth request!'],
      ['include_entities', 'true'],
      ['oauth_consumer_key', 'xvz1evFS4wEEPTGEFPHBog'],
      ['oauth_nonce', 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '1318622958'],
      ['oauth_token', '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb'],
      ['oauth_version', '1.0'],
    ];
    const url = 'https://api.twitter.com/1.1/statuses/update.json';
    const signature = hmacSha1Signature('POST', url, params, 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw', 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE');
    expect(signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  /** The `oauth` package is what passport-twitter signs with: an independent signer. */
  const client = (t: FakeTwitter, secret = CONSUMER.consumerSecret) =>
    new OAuth(t.requestTokenUrl, t.accessTokenUrl, CONSUMER.consumerKey, secret, '1.0', CALLBACK, 'HMAC-SHA1');

  const requestToken = (c: OAuth) =>
    new Promise<{ token: string; secret: string }>((resolve, reject) =>
      c.getOAuthRequestToken((err, token, secret) => (err ? reject(err) : resolve({ token, secret }))),
    );
  const accessToken = (c: OAuth, token: string, secret: string, verifier: string) =>
    new Promise<{ token: string; secret: string; screenName: string }>((resolve, reject) =>
      c.getOAuthAccessToken(token, secret, verifier, (err, t, s, results) =>
        err ? reject(err) : resolve({ token: t, secret: s, screenName: results.screen_name }),
      ),
    );
  const approve = async (t: FakeTwitter, token: string) => {
    const res = await fetch(`${t.userAuthorizationUrl}?oauth_token=${token}`, { redirect: 'manual' });
    return new URL(res.headers.get('location') ?? '');
  };

  it('accepts good signatures through the whole flow, as made by the oauth package', async () => {
    const t = await twitter();
    const c = client(t);
    const rt = await requestToken(c);
    const back = await approve(t, rt.token);
    expect(back.origin + back.pathname).toBe(CALLBACK);
    const at = await accessToken(c, rt.token, rt.secret, back.searchParams.get('oauth_verifier') ?? '');
    expect(at.screenName).toBe('ayulestari');
    const me = await new Promise<string>((resolve, reject) =>
      c.get(`${t.userProfileUrl}?include_email=true`, at.token, at.secret, (err, body) => (err ? reject(err) : resolve(String(body)))),
    );
    expect(JSON.parse(me)).toMatchObject({ id_str: t.user.id, screen_name: 'ayulestari', email: 'ayu@example.com' });
    expect(t.signatures).toEqual({ verified: 3, failed: 0 });
  });

  it('answers 401 with Twitter’s error 32 to a request signed with the wrong secret', async () => {
    const t = await twitter();
    await expect(requestToken(client(t, 'wrong-secret'))).rejects.toMatchObject({
      statusCode: 401,
      data: JSON.stringify({ errors: [{ code: 32, message: 'Could not authenticate you.' }] }),
    });
    expect(t.signatures).toEqual({ verified: 0, failed: 1 });
  });

  it('refuses a tampered parameter and a replayed request', async () => {
    const t = await twitter();
    const c = client(t);
    const rt = await requestToken(c);
    const at = await accessToken(c, rt.token, rt.secret, (await approve(t, rt.token)).searchParams.get('oauth_verifier') ?? '');
    const signedUrl = `${t.userProfileUrl}?include_email=true`;
    const authorization = c.authHeader(signedUrl, at.token, at.secret, 'GET');

    const tampered = await fetch(`${t.userProfileUrl}?include_email=false`, { headers: { authorization } });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({ errors: [{ code: 32, message: 'Could not authenticate you.' }] });
    expect((await fetch(signedUrl, { headers: { authorization } })).status).toBe(200);
    expect((await fetch(signedUrl, { headers: { authorization } })).status).toBe(401);
  });

  it('trades a request token once, and only with its verifier', async () => {
    const t = await twitter();
    const c = client(t);
    const wrong = await requestToken(c);
    await approve(t, wrong.token);
    await expect(accessToken(c, wrong.token, wrong.secret, 'not-the-verifier')).rejects.toMatchObject({ statusCode: 401 });

    const rt = await requestToken(c);
    const verifier = (await approve(t, rt.token)).searchParams.get('oauth_verifier') ?? '';
    expect((await accessToken(c, rt.token, rt.secret, verifier)).screenName).toBe('ayulestari');
    await expect(accessToken(c, rt.token, rt.secret, verifier)).rejects.toMatchObject({
      statusCode: 401,
      data: JSON.stringify({ errors: [{ code: 89, message: 'Invalid or expired token.' }] }),
    });
  });

  it('sends the user back with denied=<token> in deny mode', async () => {
    const t = await twitter({ mode: 'deny' });
    const rt = await requestToken(client(t));
    expect(Object.fromEntries((await approve(t, rt.token)).searchParams)).toEqual({ denied: rt.token });
  });
});

type Outcome =
  | { type: 'redirect'; url: string }
  | { type: 'success'; user: Record<string, any> }
  | { type: 'fail'; challenge: unknown }
  | { type: 'error'; err: Error };

/** Runs one step of a Passport strategy the way passport.authenticate() would, without Express. */
function step(strategy: object, req: object): Promise<Outcome> {
  return new Promise((resolve) => {
    const s = Object.create(strategy);
    s.redirect = (url: string) => resolve({ type: 'redirect', url });
    s.success = (user: Record<string, any>) => resolve({ type: 'success', user });
    s.fail = (challenge: unknown) => resolve({ type: 'fail', challenge });
    s.error = (err: Error) => resolve({ type: 'error', err });
    s.authenticate(req, {});
  });
}

/** Login through a real strategy: redirect to the fake, let it answer, come back to the callback. */
async function login(strategy: object, session: object = {}) {
  const first = await step(strategy, { session, query: {} });
  if (first.type !== 'redirect') throw new Error(`expected a redirect, got ${first.type}`);
  const res = await fetch(first.url, { redirect: 'manual' });
  const back = new URL(res.headers.get('location') ?? '');
  return step(strategy, { session, query: Object.fromEntries(back.searchParams) });
}

const keepProfile = (...args: unknown[]) => (args.at(-1) as (e: null, u: unknown) => void)(null, args.at(-2));

describe('real Passport strategies against the fakes', () => {
  it('logs in with passport-facebook, appsecret_proof on', async () => {
    const p = await oauth2('facebook');
    const strategy = new FacebookStrategy(
      { clientID: CLIENT.clientId, clientSecret: CLIENT.clientSecret, callbackURL: CALLBACK, enableProof: true,
        authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl, profileURL: p.profileUrl,
        profileFields: ['id', 'displayName', 'emails', 'photos', 'profileUrl'] },
      keepProfile,
    );
    const done = await login(strategy);
    expect(done).toMatchObject({ type: 'success', user: { provider: 'facebook', id: '4242', displayName: 'Ayu Lestari' } });
    const user = (done as { user: Record<string, any> }).user;
    expect(user.emails[0].value).toBe('ayu@example.com');
    expect(user.photos[0].value).toBe(p.profile.picture);
    expect(p.requests.at(-1)?.query.appsecret_proof).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs in with passport-google-oauth20 through the userinfo endpoint', async () => {
    const p = await oauth2('google');
    const strategy = new GoogleStrategy(
      { clientID: CLIENT.clientId, clientSecret: CLIENT.clientSecret, callbackURL: CALLBACK,
        authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl, userProfileURL: p.profileUrl, scope: ['profile', 'email'] },
      keepProfile,
    );
    const done = await login(strategy);
    expect(done).toMatchObject({ type: 'success', user: { provider: 'google', id: p.profile.id, displayName: 'Ayu Lestari', emails: [{ value: 'ayu@example.com', verified: true }] } });
  });

  it('logs in with passport-oauth2 against the WordPress.com flavour, with state in the session', async () => {
    const p = await oauth2('wordpress');
    class WordPressStrategy extends OAuth2Strategy {
      override userProfile(token: string, done: (err?: unknown, profile?: unknown) => void) {
        this._oauth2.useAuthorizationHeaderforGET(true);
        this._oauth2.get(p.profileUrl, token, (err, body) => (err ? done(err) : done(null, JSON.parse(String(body)))));
      }
    }
    const strategy = new WordPressStrategy(
      { clientID: CLIENT.clientId, clientSecret: CLIENT.clientSecret, callbackURL: CALLBACK, state: true,
        authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl },
      keepProfile,
    );
    expect(await login(strategy)).toMatchObject({ type: 'success', user: { ID: 4242, username: 'ayulestari' } });
  });

  it('logs in with PKCE (pkce: true) where the provider requires it, and fails without it', async () => {
    const p = await oauth2('google', { requirePkce: true });
    const options = { clientID: CLIENT.clientId, clientSecret: CLIENT.clientSecret, callbackURL: CALLBACK, state: true,
      authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl, userProfileURL: p.profileUrl };
    expect(await login(new GoogleStrategy({ ...options, pkce: true }, keepProfile))).toMatchObject({ type: 'success', user: { id: p.profile.id } });
    expect(p.requests.find((r) => r.path === '/token')?.body.code_verifier).toMatch(/^[\w-]{43,128}$/);
    expect(await login(new GoogleStrategy(options, keepProfile))).not.toMatchObject({ type: 'success' });
  });

  it('turns a refusal at the provider into a failed login', async () => {
    const p = await oauth2('google', { mode: 'deny' });
    const strategy = new GoogleStrategy(
      { clientID: CLIENT.clientId, clientSecret: CLIENT.clientSecret, callbackURL: CALLBACK,
        authorizationURL: p.authorizationUrl, tokenURL: p.tokenUrl, userProfileURL: p.profileUrl },
      keepProfile,
    );
    expect(await login(strategy)).toMatchObject({ type: 'fail' });
  });

  it('logs in with passport-twitter, every signature checked', async () => {
    const t = await twitter();
    const strategy = new TwitterStrategy(
      { ...CONSUMER, callbackURL: CALLBACK, includeEmail: true,
        requestTokenURL: t.requestTokenUrl, accessTokenURL: t.accessTokenUrl,
        userAuthorizationURL: t.userAuthorizationUrl, userProfileURL: t.userProfileUrl },
      keepProfile,
    );
    const done = await login(strategy);
    expect(done).toMatchObject({ type: 'success', user: { provider: 'twitter', id: t.user.id, username: 'ayulestari', emails: [{ value: 'ayu@example.com' }] } });
    expect(t.signatures).toEqual({ verified: 3, failed: 0 });
  });

  it('turns a Twitter denial into a failed login', async () => {
    const t = await twitter({ mode: 'deny' });
    const strategy = new TwitterStrategy(
      { ...CONSUMER, callbackURL: CALLBACK, requestTokenURL: t.requestTokenUrl, accessTokenURL: t.accessTokenUrl,
        userAuthorizationURL: t.userAuthorizationUrl, userProfileURL: t.userProfileUrl },
      keepProfile,
    );
    expect(await login(strategy)).toMatchObject({ type: 'fail' });
  });
});
