import * as oauth from 'oauth4webapi';
import type { MessageKey } from '../i18n/index.js';
import type { MastodonApp, MastodonAppsRepository } from '../repositories/mastodon-apps.js';
import type { ProviderProfile } from './commenters.js';
import { checkHost } from './public-address.js';
import { PrivateAddressError } from './public-only-agent.js';

/** What the visitor's session keeps between the redirect to the instance and the way back. */
export interface PendingLogin {
  instance: string;
  state: string;
  verifier: string;
  /** Set once the login was restarted because the instance had forgotten the app: it is not restarted twice. */
  restarted: boolean;
}

export type Started = { authorizeUrl: string; pending: PendingLogin } | { failure: MessageKey };
export type Finished = { profile: ProviderProfile } | { restart: Started } | { failure: MessageKey };

export interface MastodonLoginDeps {
  apps: MastodonAppsRepository;
  /** Tests only: lets the fake instances on 127.0.0.1 be reached. */
  allowPrivateAddress: boolean;
}

/** Where this blog is: what an app registration names, and where the instance sends the visitor back. */
export interface Site {
  title: string;
  url: string;
  redirectUri: string;
}

/** Why the login stops, said to the visitor through the catalogue. */
class Refused extends Error {
  constructor(readonly failure: MessageKey) {
    super(failure);
  }
}

/** An instance that says it does not know the blog's app (it was deleted, or the instance was reset). */
const forgotApp = (error: unknown) => error === 'invalid_client' || error === 'unauthorized_client';

export interface MastodonLogin {
  start(instance: string, site: Site, signal: AbortSignal): Promise<Started>;
  finish(pending: PendingLogin, callback: URL, site: Site, signal: AbortSignal): Promise<Finished>;
}

/** The most an instance's answer may hold: its host was typed by a visitor, and an API answer is a few kB. */
export const MAX_ANSWER_BYTES = 256 * 1024;

/** The answer read whole, refused past MAX_ANSWER_BYTES, as a Response again for oauth4webapi to read. */
async function readCapped(response: Response): Promise<Response> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw new Refused('login.failed');
    chunks.push(chunk);
  }
  // A 204 or 304 may carry no body at all, not even an empty one.
  const body = [204, 205, 304].includes(response.status) ? null : Buffer.concat(chunks);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

export function createMastodonLogin({ apps, allowPrivateAddress }: MastodonLoginDeps): MastodonLogin {
  /** fetch, to public https addresses only, never following a redirect (an instance's API answers where it is asked). */
  const guardedFetch = async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    if (url.protocol !== 'https:') throw new Refused('login.mastodon.badInstance');
    const check = await checkHost(url.hostname, allowPrivateAddress);
    if ('reason' in check) throw new Refused(check.reason === 'address' ? 'login.mastodon.privateAddress' : 'login.mastodon.unknownInstance');
    // The check above saw the name's addresses a moment ago; the connection is checked again (public-only-agent.ts).
    const response = await fetch(url, { ...init, redirect: 'manual' }).catch((err: unknown) => {
      throw (err as { cause?: unknown }).cause instanceof PrivateAddressError ? new Refused('login.mastodon.privateAddress') : err;
    });
    return readCapped(response);
  };

  const getJson = async (url: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Record<string, unknown> | null> => {
    const response = await guardedFetch(url, { signal, headers: { accept: 'application/json', ...headers } });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    const body: unknown = await response.json().catch(() => null);
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  };

  /** `profile` (Mastodon 4.3+, which lists it in its OAuth metadata) asks for less than `read:accounts`. */
  const scopesOf = async (instance: string, signal: AbortSignal) => {
    const metadata = await getJson(`${instance}/.well-known/oauth-authorization-server`, signal);
    const supported = metadata?.scopes_supported;
    return Array.isArray(supported) && supported.includes('profile') ? 'profile' : 'read:accounts';
  };

  const register = async (instance: string, site: Site, scopes: string, signal: AbortSignal): Promise<MastodonApp> => {
    const response = await guardedFetch(`${instance}/api/v1/apps`, {
      method: 'POST', signal,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_name: site.title, redirect_uris: site.redirectUri, scopes, website: site.url }),
    });
    const body = (await response.json().catch(() => null)) as { client_id?: unknown; client_secret?: unknown } | null;
    if (!response.ok || typeof body?.client_id !== 'string' || typeof body.client_secret !== 'string') throw new Refused('login.failed');
    const app = { instance, clientId: body.client_id, clientSecret: body.client_secret, redirectUri: site.redirectUri, scopes };
    apps.save(app);
    return app;
  };

  const server = (instance: string): oauth.AuthorizationServer => ({
    issuer: `${instance}/`, authorization_endpoint: `${instance}/oauth/authorize`, token_endpoint: `${instance}/oauth/token`,
  });

  const begin = async (instance: string, site: Site, signal: AbortSignal, restarted: boolean): Promise<Started> => {
    const scopes = await scopesOf(instance, signal);
    const known = apps.find(instance);
    const app = known && known.redirectUri === site.redirectUri && known.scopes === scopes ? known : await register(instance, site, scopes, signal);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(server(instance).authorization_endpoint!);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: app.clientId, redirect_uri: site.redirectUri, scope: scopes, state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    return { authorizeUrl: url.href, pending: { instance, state, verifier, restarted } };
  };

  /** The instance forgot the app: register it again and send the visitor to authorize once more, once. */
  const restart = async (pending: PendingLogin, site: Site, signal: AbortSignal): Promise<Finished> => {
    apps.forget(pending.instance);
    if (pending.restarted) return { failure: 'login.failed' };
    return { restart: await begin(pending.instance, site, signal, true) };
  };

  /** The account's ActivityPub id: Mastodon 4.2+ says it; older ones are asked by WebFinger. */
  const actorOf = async (instance: string, account: Record<string, unknown>, signal: AbortSignal) => {
    if (typeof account.uri === 'string') return account.uri;
    const acct = `${String(account.acct)}@${new URL(instance).host}`;
    const finger = await getJson(`${instance}/.well-known/webfinger?resource=${encodeURIComponent(`acct:${acct}`)}`, signal);
    const links = Array.isArray(finger?.links) ? (finger.links as Array<Record<string, unknown>>) : [];
    const self = links.find((link) => link?.rel === 'self' && typeof link.href === 'string');
    return self ? String(self.href) : '';
  };

  const finish = async (pending: PendingLogin, callback: URL, site: Site, signal: AbortSignal): Promise<Finished> => {
    const app = apps.find(pending.instance);
    const error = callback.searchParams.get('error');
    if (!app || forgotApp(error)) return restart(pending, site, signal);
    if (error) return { failure: 'login.failed' };
    if (callback.searchParams.get('state') !== pending.state) return { failure: 'login.notStarted' };
    const as = server(pending.instance);
    const client = { client_id: app.clientId };
    const params = oauth.validateAuthResponse(as, client, callback, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(app.clientSecret), params,
      site.redirectUri, pending.verifier, { [oauth.customFetch]: guardedFetch, signal });
    let token: oauth.TokenEndpointResponse;
    try {
      token = await oauth.processAuthorizationCodeResponse(as, client, response);
    } catch (err) {
      if (err instanceof oauth.ResponseBodyError && forgotApp(err.error)) return restart(pending, site, signal);
      throw err;
    }
    const account = await getJson(`${pending.instance}/api/v1/accounts/verify_credentials`, signal, { authorization: `Bearer ${token.access_token}` });
    if (!account || typeof account.acct !== 'string') return { failure: 'login.failed' };
    const actor = await actorOf(pending.instance, account, signal);
    // The identity is the instance's own: an instance cannot log a visitor in as another instance's account.
    if (!URL.canParse(actor) || new URL(actor).origin !== pending.instance) return { failure: 'login.failed' };
    const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return {
      profile: {
        provider: 'fediverse', id: actor, displayName: str(account.display_name) || str(account.username),
        pictureUrl: str(account.avatar), profileUrl: str(account.url),
      },
    };
  };

  /** Any failure (a refusal, an instance that errs, is unreachable or slow) becomes a message for the visitor. */
  const settle = async <T>(work: Promise<T>, signal: AbortSignal): Promise<T | { failure: MessageKey }> => {
    try {
      return await Promise.race([work, timedOut(signal)]);
    } catch (err) {
      return { failure: err instanceof Refused ? err.failure : signal.aborted ? 'login.timedOut' : 'login.failed' };
    }
  };

  return {
    start: (instance, site, signal) => settle(begin(instance, site, signal, false), signal),
    finish: (pending, callback, site, signal) => settle(finish(pending, callback, site, signal), signal),
  };
}

/** Settles when the time is up: a slow name server counts against the login's time too. */
const timedOut = (signal: AbortSignal) =>
  new Promise<{ failure: MessageKey }>((resolve) => signal.addEventListener('abort', () => resolve({ failure: 'login.timedOut' }), { once: true }));
