import type { Database } from 'better-sqlite3';

/**
 * Whether another process (`npm run import`, `npm run user:password`…) committed to the database since the last
 * look: SQLite's data_version changes on other connections' commits only, so the server's own writes never count.
 */
export function createOutsideWrites(db: Database) {
  const version = db.prepare('PRAGMA data_version').pluck();
  let seen = version.get();
  return {
    happened(): boolean {
      const now = version.get();
      if (now === seen) return false;
      seen = now;
      return true;
    },
  };
}
