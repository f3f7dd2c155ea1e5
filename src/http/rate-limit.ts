import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { tooManyRequests } from './errors.js';

/** A per-IP limit whose refusal is the themed "too many requests" page. */
export const perIpLimit = (limit: number, windowMs: number) =>
  rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooManyRequests()),
  });

/**
 * Failed logins, counted per IP and per account (the email typed), so neither one address nor a botnet
 * spread over many can keep guessing one password. Successful logins are not counted.
 */
export function loginLimits(onLimit: RequestHandler, windowMs = 15 * 60_000) {
  const common = { windowMs, standardHeaders: 'draft-8' as const, legacyHeaders: false, skipSuccessfulRequests: true, handler: onLimit };
  const accountOf = (req: Request) => (typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase().slice(0, 200) : '');
  return [
    rateLimit({ ...common, limit: 20 }),
    rateLimit({ ...common, limit: 5, keyGenerator: (req) => `account:${accountOf(req)}`, skip: (req) => !accountOf(req) }),
  ];
}
