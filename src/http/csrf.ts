import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { forbidden } from './errors.js';
import { sameSecret } from '../constant-time.js';

/** A synchronizer token for a visitor with a login session, derived from the session id. */
export const sessionCsrfToken = (req: Request, secret: string): string | undefined =>
  req.user && req.sessionID
    ? crypto.createHmac('sha256', secret).update(`csrf:${req.sessionID}`).digest('base64url')
    : undefined;

/** Refuses a logged-in visitor's POST whose `_csrf` field does not match their session's token. */
export function requireSessionCsrf(secret: string): RequestHandler {
  return (req, _res, next) => {
    const expected = sessionCsrfToken(req, secret);
    if (!expected) return next();
    if (!sameSecret(typeof req.body?._csrf === 'string' ? req.body._csrf : '', expected)) throw forbidden('Invalid form token');
    next();
  };
}
