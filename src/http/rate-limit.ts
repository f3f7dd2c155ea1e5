import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { clientKey } from './client-key.js';
import { tooManyRequests } from './errors.js';

/** A limit: how many `points` a key may spend in `windowMs`, and how long it stays refused once over. */
export interface LimitRule {
  name: string;
  points: number;
  windowMs: number;
  blockMs?: number;
}

/** Makes a limiter for a rule; main.ts gives one whose counts live in SQLite, so a restart keeps them. */
export type Limiters = (rule: LimitRule) => RateLimiterAbstract;

const retryAfterSeconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

/** Tells a refused client when to come back, and leaves a line for whoever watches the logs. */
export function refuse(req: Request, res: Response, limit: string, msBeforeNext: number) {
  res.set('Retry-After', retryAfterSeconds(msBeforeNext));
  req.log.warn({ limit, ip: req.ip }, 'rate limit reached');
}

/** Every request spends a point for its client address; over the limit, the themed "too many requests" page. */
export function limitPerAddress(limiters: Limiters, rule: LimitRule): RequestHandler {
  const limiter = limiters(rule);
  return async (req, res, next) => {
    try {
      await limiter.consume(clientKey(req.ip));
      next();
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      refuse(req, res, rule.name, err.msBeforeNext);
      next(tooManyRequests());
    }
  };
}

/**
 * Admin login attempts. Consecutive failures are counted per account *and* address, so nobody elsewhere can
 * lock the real administrator out by typing their email; a slower limit per address stops one address trying
 * many accounts. An attempt spends its points before the password is checked, so attempts sent in parallel
 * cannot all slip in before the first failure is counted; a successful login gives them back.
 */
export function loginThrottle(limiters: Limiters) {
  const pair = limiters({ name: 'login-account-address', points: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 });
  const address = limiters({ name: 'login-address', points: 30, windowMs: 60 * 60_000, blockMs: 60 * 60_000 });
  const keys = (req: Request, email: string) => {
    const client = clientKey(req.ip);
    return { pair: `${email.trim().toLowerCase().slice(0, 200)}|${client}`, address: client };
  };
  return {
    /** Spends an attempt; returns how long to wait when this address may not try this account now, else 0. */
    async attempt(req: Request, email: string): Promise<number> {
      const key = keys(req, email);
      const results = await Promise.allSettled([pair.consume(key.pair), address.consume(key.address)]);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      const other = refused.find((reason) => !(reason instanceof RateLimiterRes));
      if (other) throw other;
      return Math.max(0, ...refused.map((reason: RateLimiterRes) => reason.msBeforeNext));
    },
    /** The right password: this account and address start counting again, and the address gets its point back. */
    async succeeded(req: Request, email: string) {
      const key = keys(req, email);
      await Promise.all([pair.delete(key.pair), address.reward(key.address, 1)]);
    },
  };
}
