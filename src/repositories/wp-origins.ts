import type { Database } from 'better-sqlite3';

/** Lookups of imported items by their WordPress ids (the importer writes wp_origins). */
export interface WpOriginsRepository {
  /** The local id of a WordPress item; the latest import wins when two sites used the same id. */
  localId(kind: 'post' | 'term', wpId: number): number | undefined;
}

export function createWpOriginsRepository(db: Database): WpOriginsRepository {
  const local = db.prepare('SELECT local_id FROM wp_origins WHERE kind = ? AND wp_id = ? ORDER BY rowid DESC LIMIT 1').pluck();
  return { localId: (kind, wpId) => local.get(kind, wpId) as number | undefined };
}
