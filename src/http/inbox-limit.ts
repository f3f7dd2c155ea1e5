import type { RequestHandler } from 'express';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { isInboxPath } from '../fediverse/paths.js';
import { clientKey } from './client-key.js';
import { tooManyRequests } from './errors.js';
import { refuse, type Limiters, type LimitRule } from './rate-limit.js';

/** Deliveries one instance may make from one address to the blog's inboxes in a minute: far above a conversation, far below a flood. */
export const INBOX_LIMIT: LimitRule = { name: 'fediverse-inbox', points: 300, windowMs: 60_000 };

// The keyId's host, as the Signature header names it; [^"]* and [^/"]* run once over the header: linear.
const SIGNED_BY = /keyId="[a-z][a-z0-9+.-]*:\/\/([^/"]*)/i;

/**
 * What an inbox request counts against: the host of the key it says it is signed with AND the client's address.
 * The key is checked only afterwards, by Fedify: counted by host alone, anyone naming a real instance's key could
 * spend that instance's budget and have its genuine deliveries refused; this way a forger spends only its own.
 */
export function inboxLimitKey(signature: string | undefined, ip: string | undefined): string {
  const host = signature ? SIGNED_BY.exec(signature)?.[1] : undefined;
  const address = `address:${clientKey(ip)}`;
  return host ? `host:${host.toLowerCase()} ${address}` : address;
}

/** Inbox POSTs are limited per instance and address (429 with Retry-After), before Fedify reads or verifies anything. */
export function inboxLimit(limiters: Limiters): RequestHandler {
  const limiter = limiters(INBOX_LIMIT);
  return async (req, res, next) => {
    if (req.method !== 'POST' || !isInboxPath(req.path)) return next();
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
