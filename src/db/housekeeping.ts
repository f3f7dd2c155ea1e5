import type { Logger } from 'pino';
import type { Db } from './open.js';

const TEN_MINUTES = 10 * 60_000;

/** Deletes expired sessions and rate-limit counters. */
export function expiredRowsPruner(db: Db) {
  const sessions = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const rateLimits = db.prepare('DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire <= ?');
  /** Returns how many rows went. */
  return (now = Date.now()) => ({ sessions: sessions.run(now).changes, rateLimits: rateLimits.run(now).changes });
}

/**
 * Prunes on a timer, never on a request's write; the timer does not keep the process alive, and a failed pass
 * (the database busy with another process) is logged and tried again at the next tick. Returns a stop function.
 */
export function startHousekeeping(db: Db, logger: Pick<Logger, 'warn'>, everyMs = TEN_MINUTES): () => void {
  const prune = expiredRowsPruner(db);
  const timer = setInterval(() => {
    try {
      prune();
    } catch (err) {
      logger.warn({ err }, 'pruning expired sessions failed; trying again later');
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
