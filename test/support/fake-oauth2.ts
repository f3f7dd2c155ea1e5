import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OAuth 2.0 provider (Facebook, Google or WordPress.com flavour) on 127.0.0.1, speaking the
 * authorization-code flow over real HTTP so Passport strategies can be pointed at it through their
 * authorizationURL / tokenURL / profileURL options.
 */
export type OAuth2Kind = 'facebook' | 'google' | 'wordpress';
/** approve: redirect with a code; deny: redirect with error=access_denied; error: token endpoint fails; slow: token endpoint stalls. */
export type OAuth2Mode = 'approve' | 'deny' | 'error' | 'slow';

export interface FakeProfile {
  id: string;
  name: string;
  email: string;
  picture: string;
  profileUrl: string;
  username: string;
}

export interface FakeOAuth2Options {
  kind: OAuth2Kind;
  clientId: string;
  clientSecret: string;
  profile?: Partial<FakeProfile>;
  mode?: OAuth2Mode;
  /** How long the token endpoint stalls in 'slow' mode before answering. */
  slowMs?: number;
  /** Refuse an authorization request without an S256 code_challenge, as a provider that demands PKCE does. */
  requirePkce?: boolean;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, string>;
  headers: http.IncomingHttpHeaders;
}

export interface FakeOAuth2Provider {
  url: string;
  authorizationUrl: string;
  tokenUrl: string;
  profileUrl: string;
  profile: FakeProfile;
  /** Mutable: tests switch it between steps. */
  mode: OAuth2Mode;
  slowMs: number;
  requirePkce: boolean;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

interface Grant {
  redirectUri: string;
  codeChallenge?: string;
  used: boolean;
}

const PROFILE_PATH: Record<OAuth2Kind, string> = { facebook: '/me', google: '/userinfo', wordpress: '/me' };

export async function startFakeOAuth2Provider(options: FakeOAuth2Options): Promise<FakeOAuth2Provider> {
  const { kind, clientId, clientSecret } = options;
  const profile = defaultProfile(kind, options.profile);
  const grants = new Map<string, Grant>();
  const tokens = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const query = Object.fromEntries(url.searchParams);
    const body = Object.fromEntries(new URLSearchParams(await readBody(req)));
    provider.requests.push({ method: req.method ?? '', path: url.pathname, query, body, headers: req.headers });

    if (req.method === 'GET' && url.pathname === '/authorize') return authorize(query, res);
    if (req.method === 'POST' && url.pathname === '/token') {
      if (provider.mode === 'slow') {
        // Stall, then answer: the client's timeout should fire first.
        const timer = setTimeout(() => {
          timers.delete(timer);
          token(req, body, res);
        }, provider.slowMs);
        timers.add(timer);
        return;
      }
      return token(req, body, res);
    }
    if (req.method === 'GET' && url.pathname === PROFILE_PATH[kind]) return me(req, query, res);
    json(res, 404, { error: 'not_found' });
  });

  function authorize(q: Record<string, string>, res: http.ServerResponse) {
    // Like real providers, never redirect to an unverified client: show an error page instead.
    if (q.client_id !== clientId) return text(res, 400, 'Invalid client_id');
    if (!q.redirect_uri) return text(res, 400, 'Missing redirect_uri');
    const back = new URL(q.redirect_uri);
    if (q.response_type !== 'code') {
      back.searchParams.set('error', 'unsupported_response_type');
    } else if (provider.requirePkce && (!q.code_challenge || q.code_challenge_method !== 'S256')) {
      // RFC 7636 §4.4.1: a server that requires PKCE answers invalid_request.
      back.searchParams.set('error', 'invalid_request');
      back.searchParams.set('error_description', 'code_challenge required (S256).');
    } else if (provider.mode === 'deny') {
      back.searchParams.set('error', 'access_denied');
      if (kind === 'facebook') {
        back.searchParams.set('error_code', '200');
        back.searchParams.set('error_reason', 'user_denied');
      }
      back.searchParams.set('error_description', 'The user denied your request.');
    } else {
      const code = randomBytes(12).toString('hex');
      grants.set(code, { redirectUri: q.redirect_uri, codeChallenge: q.code_challenge, used: false });
      back.searchParams.set('code', code);
    }
    if (q.state !== undefined) back.searchParams.set('state', q.state);
    res.writeHead(302, { location: back.toString() }).end();
  }

  function token(req: http.IncomingMessage, body: Record<string, string>, res: http.ServerResponse) {
    if (provider.mode === 'error') {
      return json(res, 500, { error: 'server_error', error_description: 'The provider is having a bad day.' });
    }
    const basic = basicCredentials(req.headers.authorization);
    const id = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    if (id !== clientId || secret !== clientSecret) {
      return json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed.' });
    }
    if (body.grant_type !== 'authorization_code') {
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    const grant = grants.get(body.code ?? '');
    const badGrant = (description: string) => json(res, 400, { error: 'invalid_grant', error_description: description });
    if (!grant || grant.used) {
      return badGrant('The authorization code is invalid or was already used.');
    }
    grant.used = true;
    if (grant.redirectUri !== body.redirect_uri) return badGrant('redirect_uri does not match the authorization request.');
    if (grant.codeChallenge && s256(body.code_verifier ?? '') !== grant.codeChallenge) {
      return badGrant('code_verifier does not match the code_challenge.');
    }
    const accessToken = randomBytes(16).toString('hex');
    tokens.add(accessToken);
    json(res, 200, { access_token: accessToken, token_type: 'bearer', expires_in: 3600 });
  }

  function me(req: http.IncomingMessage, q: Record<string, string>, res: http.ServerResponse) {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const accessToken = bearer ?? q.access_token;
    if (!accessToken || !tokens.has(accessToken)) return profileError(res, 'Invalid OAuth access token.');
    // passport-facebook adds appsecret_proof when enableProof is on; check it as Graph does.
    if (kind === 'facebook' && q.appsecret_proof !== undefined) {
      const proof = createHmac('sha256', clientSecret).update(accessToken).digest('hex');
      if (q.appsecret_proof !== proof) return profileError(res, 'Invalid appsecret_proof provided in the API argument');
    }
    if (kind === 'facebook') return json(res, 200, facebookMe(profile, q.fields));
    if (kind === 'google') return json(res, 200, googleUserinfo(profile));
    json(res, 200, {
      ID: Number(profile.id),
      display_name: profile.name,
      username: profile.username,
      email: profile.email,
      avatar_URL: profile.picture,
      profile_URL: profile.profileUrl,
    });
  }

  // Each provider's own error shape for a bad token.
  function profileError(res: http.ServerResponse, message: string) {
    if (kind === 'facebook') return json(res, 400, { error: { message, type: 'OAuthException', code: 190 } });
    if (kind === 'google') return json(res, 401, { error: 'invalid_request', error_description: 'Invalid Credentials' });
    json(res, 403, { error: 'authorization_required', message: 'An active access token must be used to query information about the current user.' });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider: FakeOAuth2Provider = {
    url: base,
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    profileUrl: `${base}${PROFILE_PATH[kind]}`,
    profile,
    mode: options.mode ?? 'approve',
    slowMs: options.slowMs ?? 30_000, // longer than the app's 10 s provider deadline
    requirePkce: options.requirePkce ?? false,
    requests: [],
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      if (!server.listening) return Promise.resolve(); // closing twice is fine
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return provider;
}

function defaultProfile(kind: OAuth2Kind, given: Partial<FakeProfile> = {}): FakeProfile {
  const id = given.id ?? (kind === 'google' ? '108123456789012345678' : '4242');
  const name = given.name ?? 'Ayu Lestari';
  return {
    id,
    name,
    email: given.email ?? 'ayu@example.com',
    picture: given.picture ?? `https://images.example.com/${kind}/${id}.jpg`,
    profileUrl: given.profileUrl ?? `https://${kind}.example.com/${id}`,
    username: given.username ?? name.toLowerCase().replace(/[^a-z0-9]/g, ''),
  };
}

/** Graph API answers id plus the fields asked for (`picture.type(large)` counts as `picture`). */
function facebookMe(p: FakeProfile, fields = 'id,name'): Record<string, unknown> {
  const [first, ...rest] = p.name.split(' ');
  const all: Record<string, unknown> = {
    id: p.id,
    name: p.name,
    first_name: first,
    last_name: rest.join(' '),
    email: p.email,
    link: p.profileUrl,
    picture: { data: { url: p.picture, is_silhouette: false } },
  };
  const out: Record<string, unknown> = { id: p.id };
  for (const field of fields.split(',')) {
    const key = field.trim().split(/[.{]/)[0];
    if (key in all) out[key] = all[key];
  }
  return out;
}

function googleUserinfo(p: FakeProfile) {
  const [given, ...family] = p.name.split(' ');
  return {
    sub: p.id,
    name: p.name,
    given_name: given,
    family_name: family.join(' '),
    picture: p.picture,
    email: p.email,
    email_verified: true,
  };
}

/** RFC 6749 §2.3.1: both parts are form-encoded before base64. */
function basicCredentials(header = ''): { id: string; secret: string } | undefined {
  const m = /^Basic (.+)$/i.exec(header);
  if (!m) return undefined;
  const [id, secret = ''] = Buffer.from(m[1], 'base64').toString().split(':');
  const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
  return { id: decode(id), secret: decode(secret) };
}

function s256(verifier: string) {
  return createHash('sha256').update(verifier).digest('base64url');
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, value: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

function text(res: http.ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}
