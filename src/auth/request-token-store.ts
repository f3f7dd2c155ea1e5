import type { Request } from 'express';
import { sameSecret } from '../constant-time.js';

type Held = { oauth_token?: string; oauth_token_secret?: string };
type Sessions = Record<string, Held | undefined>;

/**
 * passport-oauth1's request-token store, keeping the token in the session as its own store does, but
 * handing out the secret only when the callback names the token this browser was given: passport-oauth1
 * never compares them, so another browser's callback would be traded with this session's secret.
 */
export function sessionRequestTokenStore(key: string) {
  const held = (req: Request) => (req.session as unknown as Sessions | undefined)?.[key];
  return {
    get(req: Request, token: string, done: (err: unknown, secret?: string | false) => void) {
      const mine = held(req);
      if (!mine?.oauth_token || !mine.oauth_token_secret || !sameSecret(mine.oauth_token, String(token))) return done(null, false);
      done(null, mine.oauth_token_secret);
    },
    set(req: Request, token: string, secret: string, done: (err?: unknown) => void) {
      if (!req.session) return done(new Error('Twitter login needs a session'));
      (req.session as unknown as Sessions)[key] = { oauth_token: token, oauth_token_secret: secret };
      done();
    },
    destroy(req: Request, _token: string, done: (err?: unknown) => void) {
      if (req.session) delete (req.session as unknown as Sessions)[key];
      done();
    },
  };
}
