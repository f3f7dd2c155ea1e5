import type { Db } from './open.js';

const TEN_MINUTES = 10 * 60_000;

/** Deletes expired sessions and rate-limit counters; returns how many rows went. */
export function pruneExpired(db: Db, now = Date.now()): { sessions: number; rateLimits: number } {
  return {
    sessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes,
    rateLimits: db.prepare('DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire <= ?').run(now).changes,
  };
}

/** Prunes on a timer, never on a request's write; the timer does not keep the process alive. Returns a stop function. */
export function startHousekeeping(db: Db, everyMs = TEN_MINUTES): () => void {
  const timer = setInterval(() => pruneExpired(db), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
