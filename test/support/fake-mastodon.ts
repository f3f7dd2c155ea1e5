import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttps } from './test-ca.js';

/**
 * A fake Mastodon instance on https://127.0.0.1:PORT, written without Fedify so that it checks the blog's ActivityPub
 * rather than Fedify against itself. Server side: accounts (`/users/NAME`, WebFinger), and inboxes that verify
 * draft-cavage HTTP Signatures as Mastodon does and record what they accepted. Client side: resolve a handle, follow,
 * undo, and `send` any activity signed as an account, or forged (wrong key, body altered after signing, unsigned).
 * Add accounts with `account(name)`; add routes by extending `handle` below.
 */

export interface Account {
  name: string;
  uri: string;
  keyId: string;
  privateKey: crypto.KeyObject;
  publicKeyPem: string;
  /** What its actor document says in place of the usual, when set (see AccountOptions). */
  document?: AccountOptions;
}

/** An account whose actor document states another inbox, shared inbox or display name (an instance may say anything). */
export interface AccountOptions {
  inbox?: string;
  sharedInbox?: string;
  displayName?: string;
}

export interface Received {
  /** The path it came to: /inbox (shared) or /users/NAME/inbox. */
  path: string;
  activity: Record<string, unknown> & { type?: string; actor?: string; id?: string };
  /** The signer's keyId. */
  keyId: string;
}

export interface SendOptions {
  /** Who signs (default alice). */
  as?: string;
  /** 'wrong-key': signed with a key that is not the account's; 'none': no Signature header. */
  signing?: 'account' | 'wrong-key' | 'none';
  /** Changes the body after it was signed (the Digest and the signature name the original). */
  alterBody?: (body: string) => string;
  /** The Date header (default now). */
  date?: Date;
}

/** How far a Date may be from now, as Mastodon allows. */
const DATE_WINDOW_MS = 12 * 3600_000;
const AS_JSON = 'application/activity+json';

const rsaKey = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

/** The Signature header's parameters: keyId="…",algorithm="…",headers="…",signature="…" (no commas inside values but the signature's base64). */
function parseSignature(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) params[match[1]] = match[2];
  return params;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export async function startFakeMastodon() {
  const accounts = new Map<string, Account>();
  const received: Received[] = [];
  const refused: { path: string; reason: string }[] = [];
  const waiters = new Set<() => void>();
  let origin = '';
  const host = () => new URL(origin).host;

  const actorDocument = (a: Account) => ({
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
    id: a.uri,
    type: 'Person',
    preferredUsername: a.name,
    name: a.document?.displayName ?? a.name[0].toUpperCase() + a.name.slice(1),
    inbox: a.document?.inbox ?? `${a.uri}/inbox`,
    outbox: `${a.uri}/outbox`,
    followers: `${a.uri}/followers`,
    url: `${origin}/@${a.name}`,
    icon: { type: 'Image', mediaType: 'image/png', url: `${origin}/avatars/${a.name}.png` },
    endpoints: { sharedInbox: a.document?.sharedInbox ?? `${origin}/inbox` },
    publicKey: { id: a.keyId, owner: a.uri, publicKeyPem: a.publicKeyPem },
  });

  const json = (res: ServerResponse, status: number, body: unknown, type = AS_JSON) => {
    res.writeHead(status, { 'content-type': type });
    res.end(JSON.stringify(body));
  };

  /** Mastodon's checks, in its order; the reason a request is refused, or the keyId it was signed with. */
  async function verify(req: IncomingMessage, body: string): Promise<{ keyId: string } | { reason: string }> {
    const header = req.headers.signature;
    if (typeof header !== 'string') return { reason: 'unsigned' };
    const { keyId, headers = 'date', signature } = parseSignature(header);
    if (!keyId || !signature) return { reason: 'malformed signature' };
    const names = headers.toLowerCase().split(' ');
    for (const required of ['(request-target)', 'host', 'date', 'digest']) if (!names.includes(required)) return { reason: `${required} not signed` };
    const date = Date.parse(String(req.headers.date));
    if (!Number.isFinite(date) || Math.abs(Date.now() - date) > DATE_WINDOW_MS) return { reason: 'date out of window' };
    const digest = `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}`;
    const digests = String(req.headers.digest ?? '').split(',').map((d) => d.trim());
    if (!digests.some((d) => d.toLowerCase().startsWith('sha-256=') && d.slice(8) === digest.slice(8))) return { reason: 'digest mismatch' };
    const lines = names.map((name) => (name === '(request-target)' ? `(request-target): ${req.method!.toLowerCase()} ${req.url}` : `${name}: ${req.headers[name] ?? ''}`));
    // The key from the signer's actor document (keyId without its fragment), as Mastodon fetches it.
    const response = await fetch(keyId.split('#')[0], { headers: { accept: AS_JSON } });
    if (!response.ok) return { reason: `key fetch ${response.status}` };
    const document = (await response.json()) as { id?: string; publicKey?: { id: string; owner: string; publicKeyPem: string } };
    const key = document.publicKey;
    if (!key || key.id !== keyId) return { reason: 'no such key' };
    let activity: { actor?: unknown };
    try {
      activity = JSON.parse(body);
    } catch {
      return { reason: 'not JSON' };
    }
    const actor = typeof activity.actor === 'string' ? activity.actor : (activity.actor as { id?: string } | undefined)?.id;
    if (key.owner !== actor || document.id !== actor) return { reason: 'key not owned by the actor' };
    const ok = crypto.verify('sha256', Buffer.from(lines.join('\n')), key.publicKeyPem, Buffer.from(signature, 'base64'));
    return ok ? { keyId } : { reason: 'bad signature' };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, origin);
    const user = /^\/users\/([a-z0-9_]+)(\/inbox)?$/.exec(url.pathname);
    if (req.method === 'GET' && url.pathname === '/.well-known/webfinger') {
      const name = /^acct:([a-z0-9_]+)@(.+)$/.exec(url.searchParams.get('resource') ?? '');
      const a = name && name[2] === host() ? accounts.get(name[1]) : undefined;
      if (!a) return json(res, 404, { error: 'not found' });
      return json(res, 200, { subject: `acct:${a.name}@${host()}`, links: [{ rel: 'self', type: AS_JSON, href: a.uri }] }, 'application/jrd+json');
    }
    if (req.method === 'GET' && user && !user[2] && accounts.has(user[1])) return json(res, 200, actorDocument(accounts.get(user[1])!));
    if (req.method === 'POST' && (url.pathname === '/inbox' || (user?.[2] && accounts.has(user[1])))) {
      const body = await readBody(req);
      const outcome = await verify(req, body);
      if ('reason' in outcome) {
        refused.push({ path: url.pathname, reason: outcome.reason });
        return json(res, 401, { error: outcome.reason });
      }
      received.push({ path: url.pathname, activity: JSON.parse(body), keyId: outcome.keyId });
      waiters.forEach((wake) => wake());
      res.writeHead(202).end();
      return;
    }
    // Another protocol of the same instance (its OAuth API and client API: fake-mastodon-oauth.ts), if mounted.
    if (alsoServes) return alsoServes(req, res);
    json(res, 404, { error: 'not found' });
  }
  let alsoServes: ((req: IncomingMessage, res: ServerResponse) => Promise<void> | void) | undefined;

  const server = await listenHttps((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: String(err) }));
  });
  origin = server.origin;

  /** The account of that name, made on first use (with `document`, if given, as what its actor document states). */
  const account = (name: string, document?: AccountOptions): Account => {
    const existing = accounts.get(name);
    if (existing) return existing;
    const { privateKey, publicKey } = rsaKey();
    const uri = `${origin}/users/${name}`;
    const made = { name, uri, keyId: `${uri}#main-key`, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), document };
    accounts.set(name, made);
    return made;
  };
  account('alice');
  const wrongKey = rsaKey().privateKey;
  let sequence = 0;
  const newId = (a: Account, kind: string) => `${a.uri}#${kind}/${++sequence}`;

  /** POSTs an activity to an inbox, signed as Mastodon signs (draft-cavage, rsa-sha256, signed Digest); the response. */
  async function send(activity: Record<string, unknown>, inbox: string, { as = 'alice', signing = 'account', alterBody, date = new Date() }: SendOptions = {}) {
    const signer = account(as);
    const body = JSON.stringify({ '@context': 'https://www.w3.org/ns/activitystreams', ...activity });
    const target = new URL(inbox);
    const headers: Record<string, string> = {
      host: target.host,
      date: date.toUTCString(),
      digest: `SHA-256=${crypto.createHash('sha256').update(body).digest('base64')}`,
      'content-type': AS_JSON,
    };
    if (signing !== 'none') {
      const names = ['(request-target)', 'host', 'date', 'digest', 'content-type'];
      const lines = names.map((name) => (name === '(request-target)' ? `(request-target): post ${target.pathname}${target.search}` : `${name}: ${headers[name]}`));
      const signature = crypto.sign('sha256', Buffer.from(lines.join('\n')), signing === 'wrong-key' ? wrongKey : signer.privateKey).toString('base64');
      headers.signature = `keyId="${signer.keyId}",algorithm="rsa-sha256",headers="${names.join(' ')}",signature="${signature}"`;
    }
    const { host: _host, ...sent } = headers;
    return fetch(inbox, { method: 'POST', headers: sent, body: alterBody ? alterBody(body) : body });
  }

  /** The actor behind a handle (`@blog@127.0.0.1:PORT`), by WebFinger; `scheme` is http for a blog in a test. */
  async function resolve(handle: string, scheme: 'https' | 'http' = 'https') {
    const [, user, at] = /^@?([^@]+)@(.+)$/.exec(handle) ?? [];
    const finger = await fetch(`${scheme}://${at}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${at}`)}`);
    if (!finger.ok) throw new Error(`WebFinger ${finger.status}`);
    const jrd = (await finger.json()) as { links: { rel: string; type?: string; href: string }[] };
    const self = jrd.links.find((link) => link.rel === 'self' && link.type?.includes('activity+json'));
    if (!self) throw new Error('no self link');
    const response = await fetch(self.href, { headers: { accept: AS_JSON } });
    if (!response.ok) throw new Error(`actor ${response.status}`);
    return (await response.json()) as Record<string, unknown> & { id: string; inbox: string; endpoints?: { sharedInbox?: string } };
  }

  return {
    origin,
    /** Hands what this side does not answer to another handler on the same origin (one instance, both protocols). */
    serveAlso(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void) {
      alsoServes = handler;
    },
    account,
    received,
    refused,
    send,
    resolve,
    /** Follows an actor (its document as resolve() gave it); the Follow sent and the blog's answer. */
    async follow(actor: { id: string; inbox: string }, options: SendOptions = {}) {
      const follower = account(options.as ?? 'alice');
      const activity = { id: newId(follower, 'follows'), type: 'Follow', actor: follower.uri, object: actor.id };
      return { activity, response: await send(activity, actor.inbox, options) };
    },
    async undo(follow: { actor: string; id: string }, inbox: string, options: SendOptions = {}) {
      const follower = account(options.as ?? 'alice');
      const activity = { id: newId(follower, 'undos'), type: 'Undo', actor: follower.uri, object: follow };
      return { activity, response: await send(activity, inbox, options) };
    },
    /** The first accepted activity that matches, waiting for it to arrive (deliveries go through the blog's queue). */
    async waitFor(match: (r: Received) => boolean, timeoutMs = 10_000): Promise<Received> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`nothing matching arrived in ${timeoutMs} ms (refused: ${JSON.stringify(refused)})`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            waiters.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, 100);
          waiters.add(wake);
        });
      }
    },
    /** Gives an account a new key pair under the same keyId, as an instance does when it rotates keys: the old key stops working. */
    rotateKey(name: string) {
      const rotated = account(name);
      const { privateKey, publicKey } = rsaKey();
      rotated.privateKey = privateKey;
      rotated.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    },
    close: () => server.close(),
  };
}

export type FakeMastodon = Awaited<ReturnType<typeof startFakeMastodon>>;
