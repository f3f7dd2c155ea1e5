import type { Database } from 'better-sqlite3';

/** The work migrations leave for the blog to do in code (see migrations/0008_rerender_html.sql). */
export interface PendingWorkRepository {
  /** Removes the request and says whether it was there; inside a transaction with the work, it is done once. */
  take(name: string): boolean;
  /** Whether the request is there, for work too long for one transaction: taken once it is all done. */
  requested(name: string): boolean;
}

export function createPendingWorkRepository(db: Database): PendingWorkRepository {
  const remove = db.prepare('DELETE FROM pending_work WHERE name = ?');
  const find = db.prepare('SELECT 1 FROM pending_work WHERE name = ?').pluck();
  return {
    take: (name) => remove.run(name).changes > 0,
    requested: (name) => find.get(name) !== undefined,
  };
}
