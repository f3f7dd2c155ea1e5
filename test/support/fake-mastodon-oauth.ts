import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttps, testCa, trustTestCa } from './test-ca.js';
import type { FakeMastodon } from './fake-mastodon.js';

/**
 * A fake Mastodon instance's OAuth side, over https on 127.0.0.1 (the test CA, trusted by this process's fetch while
 * it runs): app registration, its OAuth metadata, authorize, token (client, code, redirect_uri and PKCE checked) and
 * verify_credentials, as Mastodon answers them. The ActivityPub side is test/support/fake-mastodon.ts.
 */
export type AuthorizeMode = 'approve' | 'deny' | 'slow';

export interface FakeMastodonAccount {
  username: string;
  display_name: string;
  avatar: string;
  /** Sent as the account's `uri` unless `sendUri` is off (Mastodon before 4.2): then WebFinger says it. */
  sendUri: boolean;
}

export interface RegisteredApp {
  client_name: string;
  redirect_uris: string;
  scopes: string;
  website: string;
  clientId: string;
  clientSecret: string;
}

export interface FakeMastodonOAuth {
  origin: string;
  /** host:port, as a visitor types it. */
  host: string;
  account: FakeMastodonAccount;
  actorUri: string;
  /** Every POST /api/v1/apps, in order. */
  registrations: RegisteredApp[];
  /** Every request's method and path (with its query). */
  requests: string[];
  /** Mutable switches tests flip between steps. slow: the token endpoint never answers. */
  mode: AuthorizeMode;
  /** The authorize step shows a page with an Authorize button (for a browser) instead of approving at once. */
  showPage: boolean;
  /** false: /.well-known/oauth-authorization-server answers 404, as before Mastodon 4.3. */
  advertiseProfileScope: boolean;
  /** Pads the OAuth metadata to this many bytes, as a hostile or broken host might. */
  metadataBytes: number;
  /** Forgets every registered app: the token endpoint then answers invalid_client. */
  forgetApps(): void;
  /** The scope each authorization was asked for, in order. */
  scopesAsked: string[];
  /** Token requests refused for a wrong PKCE verifier. */
  pkceFailures: number;
  close(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  used: boolean;
}

/**
 * Mastodon's OAuth and client API on an instance of its own, or mounted on the ActivityPub fake's (`on`), so that the
 * account a visitor logs in with is the very actor that federates.
 */
export async function startFakeMastodonOAuth(account: Partial<FakeMastodonAccount> = {}, on?: Pick<FakeMastodon, 'origin' | 'serveAlso'>): Promise<FakeMastodonOAuth> {
  const apps = new Map<string, RegisteredApp>();
  const grants = new Map<string, Grant>();
  const tokens = new Set<string>();
  const untrust = trustTestCa(await testCa());
  const listening = on ? { origin: on.origin, close: async () => {} } : await listenHttps((req, res) => void handle(req, res));
  on?.serveAlso(async (req, res) => void (await handle(req, res)));
  const host = new URL(listening.origin).host;
  const fake: FakeMastodonOAuth = {
    origin: listening.origin,
    host,
    account: { username: 'alice', display_name: 'Alice Fedi', avatar: `${listening.origin}/avatars/alice.png`, sendUri: true, ...account },
    actorUri: `${listening.origin}/users/alice`,
    registrations: [],
    requests: [],
    mode: 'approve',
    showPage: false,
    advertiseProfileScope: true,
    metadataBytes: 0,
    forgetApps: () => apps.clear(),
    scopesAsked: [],
    pkceFailures: 0,
    async close() {
      untrust();
      await listening.close();
    },
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const random = () => randomBytes(16).toString('hex');

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', fake.origin);
    fake.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const raw = await readBody(req);
    const form = (req.headers['content-type'] ?? '').includes('json')
      ? (JSON.parse(raw || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));

    if (req.method === 'POST' && url.pathname === '/api/v1/apps') {
      if (!form.client_name || !form.redirect_uris) return json(res, 422, { error: 'Validation failed' });
      const app = { client_name: form.client_name, redirect_uris: form.redirect_uris, scopes: form.scopes ?? 'read', website: form.website ?? '', clientId: random(), clientSecret: random() };
      apps.set(app.clientId, app);
      fake.registrations.push(app);
      return json(res, 200, { id: String(fake.registrations.length), name: app.client_name, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: app.redirect_uris });
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
      if (!fake.advertiseProfileScope) return json(res, 404, { error: 'Not found' });
      return json(res, 200, {
        padding: 'x'.repeat(fake.metadataBytes),
        issuer: `${fake.origin}/`, authorization_endpoint: `${fake.origin}/oauth/authorize`, token_endpoint: `${fake.origin}/oauth/token`,
        scopes_supported: ['read', 'write', 'push', 'profile', 'read:accounts'], response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'], grant_types_supported: ['authorization_code'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/oauth/authorize') return authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/oauth/authorize') return authorize(new URLSearchParams(form), res, true);
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      // Slow: no answer until the test closes the server.
      if (fake.mode === 'slow') return;
      return token(form, res);
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') {
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) return json(res, 401, { error: 'The access token is invalid' });
      const { username, display_name, avatar, sendUri } = fake.account;
      return json(res, 200, {
        id: '1', username, acct: username, display_name, avatar, url: `${fake.origin}/@${username}`,
        ...(sendUri ? { uri: fake.actorUri } : {}),
      });
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/webfinger') {
      if (url.searchParams.get('resource') !== `acct:${fake.account.username}@${host}`) return json(res, 404, {});
      return json(res, 200, { subject: `acct:${fake.account.username}@${host}`, links: [{ rel: 'self', type: 'application/activity+json', href: fake.actorUri }] });
    }
    json(res, 404, { error: 'Not found' });
  }

  /**
   * Mastodon's authorize page: a GET shows the app asking and an Authorize button (a form, so a browser without
   * JavaScript can press it); pressing it, or a GET in approve/deny mode from a test, redirects back.
   */
  function authorize(query: URLSearchParams, res: ServerResponse, pressed = false) {
    const app = apps.get(query.get('client_id') ?? '');
    // Mastodon (Doorkeeper) shows an error page for an unknown client rather than redirecting with it.
    if (!app) return json(res, 401, { error: 'invalid_client' });
    const redirectUri = query.get('redirect_uri') ?? '';
    if (redirectUri !== app.redirect_uris) return json(res, 400, { error: 'invalid_redirect_uri' });
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('code_challenge_method') !== 'S256' || !challenge) return json(res, 400, { error: 'invalid_request' });
    if (!pressed) fake.scopesAsked.push(query.get('scope') ?? '');
    const back = new URL(redirectUri);
    if (query.get('state')) back.searchParams.set('state', query.get('state')!);
    if (fake.mode === 'deny') {
      back.searchParams.set('error', 'access_denied');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (!pressed && fake.showPage) return page(query, res);
    const code = random();
    grants.set(code, { clientId: app.clientId, redirectUri, challenge, used: false });
    back.searchParams.set('code', code);
    res.writeHead(302, { location: back.href });
    res.end();
  }

  function page(query: URLSearchParams, res: ServerResponse) {
    const hidden = [...query].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Authorize</title><h1>Authorization required</h1><form method="post" action="/oauth/authorize">${hidden}<button id="authorize">Authorize</button></form>`);
  }

  function token(form: Record<string, string>, res: ServerResponse) {
    const app = apps.get(form.client_id ?? '');
    if (!app || app.clientSecret !== form.client_secret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client.' });
    }
    const grant = grants.get(form.code ?? '');
    if (form.grant_type !== 'authorization_code' || !grant || grant.used || grant.clientId !== app.clientId || grant.redirectUri !== form.redirect_uri) {
      return json(res, 400, { error: 'invalid_grant' });
    }
    grant.used = true;
    const challenge = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
    if (challenge !== grant.challenge) {
      fake.pkceFailures++;
      return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
    }
    const accessToken = random();
    tokens.add(accessToken);
    json(res, 200, { access_token: accessToken, token_type: 'Bearer', scope: app.scopes, created_at: Math.floor(Date.now() / 1000) });
  }

  return fake;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
