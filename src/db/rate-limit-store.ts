import { RateLimiterSQLite } from 'rate-limiter-flexible';
import type { Db } from './open.js';

/** Limiters whose counts live in the blog's database (migration 0007), shared by every process on it. */
export function sqliteLimiters(db: Db) {
  return ({ name, points, windowMs, blockMs = 0 }: { name: string; points: number; windowMs: number; blockMs?: number }) =>
    new RateLimiterSQLite({
      storeClient: db,
      storeType: 'better-sqlite3',
      tableName: 'rate_limits',
      tableCreated: true,
      keyPrefix: name,
      points,
      duration: Math.ceil(windowMs / 1000),
      blockDuration: Math.ceil(blockMs / 1000),
    });
}
