import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Twitter on 127.0.0.1 speaking OAuth 1.0a (RFC 5849) and checking every HMAC-SHA1
 * signature, so passport-twitter can be pointed at it through its *URL options.
 */
export interface FakeTwitterUser {
  id: string;
  screenName: string;
  name: string;
  profileImageUrl: string;
  url: string;
  email?: string;
}

export interface FakeTwitterOptions {
  consumerKey: string;
  consumerSecret: string;
  user?: Partial<FakeTwitterUser>;
  mode?: 'approve' | 'deny';
}

export interface FakeTwitter {
  url: string;
  requestTokenUrl: string;
  accessTokenUrl: string;
  userAuthorizationUrl: string;
  userProfileUrl: string;
  user: FakeTwitterUser;
  /** Mutable: 'deny' makes the authorize page send the user back with `denied=<token>`. */
  mode: 'approve' | 'deny';
  signatures: { verified: number; failed: number };
  requests: { method: string; path: string }[];
  close(): Promise<void>;
}

type Param = [string, string];
interface Token { secret: string; kind: 'request' | 'access'; callback?: string; verifier?: string }

/** RFC 3986 percent-encoding, as OAuth 1.0a requires (stricter than encodeURIComponent). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** RFC 5849 §3.4: the HMAC-SHA1 signature of a request, from its method, base URL and all params but oauth_signature. */
export function hmacSha1Signature(method: string, baseUrl: string, params: Param[], consumerSecret: string, tokenSecret = ''): string {
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)])
    .sort(([ak, av], [bk, bv]) => (ak === bk ? compare(av, bv) : compare(ak, bk)))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [method.toUpperCase(), percentEncode(baseUrl), percentEncode(normalized)].join('&');
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha1', key).update(base).digest('base64');
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const COULD_NOT_AUTHENTICATE = { errors: [{ code: 32, message: 'Could not authenticate you.' }] };
const INVALID_TOKEN = { errors: [{ code: 89, message: 'Invalid or expired token.' }] };

export async function startFakeTwitter(options: FakeTwitterOptions): Promise<FakeTwitter> {
  const { consumerKey, consumerSecret } = options;
  const user: FakeTwitterUser = {
    id: '1234567890123456789',
    screenName: 'ayulestari',
    name: 'Ayu Lestari',
    profileImageUrl: 'https://pbs.twimg.example/profile_images/1/ayu_normal.jpg',
    url: 'https://t.co/ayu',
    email: 'ayu@example.com',
    ...options.user,
  };
  const tokens = new Map<string, Token>();
  const nonces = new Set<string>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    twitter.requests.push({ method: req.method ?? '', path: url.pathname });
    const body = await readBody(req);
    const formBody = /application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') ? body : '';
    const params: Param[] = [...oauthHeaderParams(req.headers.authorization), ...new URLSearchParams(url.search), ...new URLSearchParams(formBody)];
    const get = (name: string) => params.find(([k]) => k === name)?.[1];

    /** Checks the signature with the secret of the token the request names; answers 401 itself on failure. */
    const authenticate = (kind?: Token['kind']): Token | null | false => {
      const tokenId = get('oauth_token');
      const token = tokenId ? tokens.get(tokenId) : undefined;
      const fail = (reply: unknown) => {
        twitter.signatures.failed++;
        json(res, 401, reply);
        return false as const;
      };
      if (kind && (!token || token.kind !== kind)) return fail(INVALID_TOKEN);
      const nonce = `${get('oauth_timestamp')}:${get('oauth_nonce')}`;
      const expected = hmacSha1Signature(
        req.method ?? 'GET',
        `http://${(req.headers.host ?? '').toLowerCase()}${url.pathname}`,
        params.filter(([k]) => k !== 'oauth_signature' && k !== 'realm'),
        consumerSecret,
        token?.secret ?? '',
      );
      const ok =
        get('oauth_consumer_key') === consumerKey &&
        get('oauth_signature_method') === 'HMAC-SHA1' &&
        (get('oauth_version') ?? '1.0') === '1.0' &&
        !!get('oauth_nonce') &&
        !nonces.has(nonce) && // a replayed request is refused like a forged one
        safeEqual(get('oauth_signature') ?? '', expected);
      if (!ok) return fail(COULD_NOT_AUTHENTICATE);
      nonces.add(nonce);
      twitter.signatures.verified++;
      return token ?? null;
    };

    if (req.method === 'POST' && url.pathname === '/oauth/request_token') {
      if (authenticate() === false) return;
      const callback = get('oauth_callback');
      if (!callback) return json(res, 401, COULD_NOT_AUTHENTICATE);
      const token = issue({ kind: 'request', callback });
      return form(res, { oauth_token: token.id, oauth_token_secret: token.secret, oauth_callback_confirmed: 'true' });
    }
    if (req.method === 'GET' && (url.pathname === '/oauth/authenticate' || url.pathname === '/oauth/authorize')) {
      const id = url.searchParams.get('oauth_token') ?? '';
      const token = tokens.get(id);
      if (!token || token.kind !== 'request' || !token.callback) return text(res, 400, 'This page is no longer valid.');
      const back = new URL(token.callback);
      if (twitter.mode === 'deny') {
        tokens.delete(id);
        back.searchParams.set('denied', id);
      } else {
        token.verifier = randomBytes(16).toString('hex');
        back.searchParams.set('oauth_token', id);
        back.searchParams.set('oauth_verifier', token.verifier);
      }
      return res.writeHead(302, { location: back.toString() }).end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth/access_token') {
      const requestToken = authenticate('request');
      if (!requestToken) return;
      tokens.delete(get('oauth_token') ?? ''); // single use, whatever the outcome
      if (!requestToken.verifier || get('oauth_verifier') !== requestToken.verifier) return json(res, 401, INVALID_TOKEN);
      const token = issue({ kind: 'access' });
      return form(res, { oauth_token: token.id, oauth_token_secret: token.secret, user_id: user.id, screen_name: user.screenName });
    }
    if (req.method === 'GET' && url.pathname === '/1.1/account/verify_credentials.json') {
      if (!authenticate('access')) return;
      return json(res, 200, {
        id: Number(user.id), // loses precision past 2^53, as Twitter's own numeric id does
        id_str: user.id,
        screen_name: user.screenName,
        name: user.name,
        profile_image_url_https: user.profileImageUrl,
        url: user.url,
        ...(url.searchParams.get('include_email') === 'true' && user.email ? { email: user.email } : {}),
      });
    }
    json(res, 404, { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] });
  });

  function issue(fields: Omit<Token, 'secret'>) {
    const id = randomBytes(16).toString('hex');
    const token = { ...fields, secret: randomBytes(20).toString('hex') };
    tokens.set(id, token);
    return { id, secret: token.secret };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const twitter: FakeTwitter = {
    url: base,
    requestTokenUrl: `${base}/oauth/request_token`,
    accessTokenUrl: `${base}/oauth/access_token`,
    userAuthorizationUrl: `${base}/oauth/authenticate`,
    userProfileUrl: `${base}/1.1/account/verify_credentials.json`,
    user,
    mode: options.mode ?? 'approve',
    signatures: { verified: 0, failed: 0 },
    requests: [],
    close: () => {
      server.closeAllConnections();
      if (!server.listening) return Promise.resolve(); // closing twice is fine
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
  return twitter;
}

/** `Authorization: OAuth k="v", ...` → decoded pairs (RFC 5849 §3.5.1). */
function oauthHeaderParams(header = ''): Param[] {
  if (!/^OAuth\s/i.test(header)) return [];
  return [...header.matchAll(/([^\s=,]+)="([^"]*)"/g)].map(([, k, v]) => [decodeURIComponent(k), decodeURIComponent(v)]);
}

function safeEqual(a: string, b: string) {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
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

function form(res: http.ServerResponse, fields: Record<string, string>) {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(new URLSearchParams(fields).toString());
}

function text(res: http.ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}
