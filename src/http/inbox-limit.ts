import type { RequestHandler } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { clientKey } from './client-key.js';
import { tooManyRequests } from './errors.js';
import { refuse, type Limiters, type LimitRule } from './rate-limit.js';

/** Deliveries one instance may make to the blog's inboxes in a minute: far above a conversation, far below a flood. */
export const INBOX_LIMIT: LimitRule = { name: 'fediverse-inbox', points: 300, windowMs: 60_000 };

const INBOX = /^\/fediverse\/(?:users\/[^/]+\/)?inbox$/;
// The keyId's host, as the Signature header names it; [^"]* and [^/"]* run once over the header: linear.
const SIGNED_BY = /keyId="[a-z][a-z0-9+.-]*:\/\/([^/"]*)/i;

/**
 * The instance an inbox request counts against: the host of the key it says it is signed with (checked by Fedify
 * afterwards), or the client's address when it names none.
 */
export function inboxLimitKey(signature: string | undefined, ip: string | undefined): string {
  const host = signature ? SIGNED_BY.exec(signature)?.[1] : undefined;
  return host ? `host:${host.toLowerCase()}` : `address:${clientKey(ip)}`;
}

/** Inbox POSTs are limited per instance (429 with Retry-After), before Fedify reads or verifies anything. */
export function inboxLimit(limiters: Limiters): RequestHandler {
  const limiter = limiters(INBOX_LIMIT);
  return async (req, res, next) => {
    if (req.method !== 'POST' || !INBOX.test(req.path)) return next();
    const signature = req.headers.signature;
    try {
      await limiter.consume(inboxLimitKey(typeof signature === 'string' ? signature : undefined, req.ip));
      next();
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) return next(err);
      refuse(req, res, INBOX_LIMIT.name, err.msBeforeNext);
      next(tooManyRequests());
    }
  };
}
