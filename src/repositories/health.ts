import type { Database } from 'better-sqlite3';

export interface HealthRepository {
  /** Runs `SELECT 1`; throws when the database does not answer (closed, unreadable). */
  ping(): void;
}

export function createHealthRepository(db: Database): HealthRepository {
  const selectOne = db.prepare('SELECT 1');
  return {
    ping: () => {
      selectOne.get();
    },
  };
}
