import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
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
      await limiter.consume(req.ip ?? '');
      next();
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      refuse(req, res, rule.name, err.msBeforeNext);
      next(tooManyRequests());
    }
  };
}

/**
 * Failed admin logins. Consecutive failures are counted per account *and* address, so nobody elsewhere can lock
 * the real administrator out by typing their email; a slower limit per address stops one address trying many
 * accounts. A successful login clears its account-and-address count.
 */
export function loginThrottle(limiters: Limiters) {
  const pair = limiters({ name: 'login-account-address', points: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 });
  const address = limiters({ name: 'login-address', points: 30, windowMs: 60 * 60_000, blockMs: 60 * 60_000 });
  const pairKey = (req: Request, email: string) => `${email.trim().toLowerCase().slice(0, 200)}|${req.ip ?? ''}`;
  const waitOf = (res: RateLimiterRes | null, points: number) => (res && res.consumedPoints >= points ? res.msBeforeNext : 0);
  return {
    /** How long this address must wait before trying this account again; 0 when it may try now. */
    async wait(req: Request, email: string): Promise<number> {
      const [forPair, forAddress] = await Promise.all([pair.get(pairKey(req, email)), address.get(req.ip ?? '')]);
      return Math.max(waitOf(forPair, pair.points), waitOf(forAddress, address.points));
    },
    async failed(req: Request, email: string) {
      await Promise.allSettled([pair.consume(pairKey(req, email)), address.consume(req.ip ?? '')]);
    },
    async succeeded(req: Request, email: string) {
      await pair.delete(pairKey(req, email));
    },
  };
}

export type LoginThrottle = ReturnType<typeof loginThrottle>;
