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
