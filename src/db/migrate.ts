import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './open.js';
import { registerSqlFunctions } from './sql-functions.js';

export class MigrationError extends Error {}

/** A migration file that starts with this line runs with foreign keys off (to rebuild a table others refer to). */
const KEYS_OFF_MARKER = '-- foreign_keys: off';

/**
 * Applies each numbered SQL file in `dir` once, in name order, each in its own transaction.
 * A failing file rolls back completely and stops with its name.
 */
export function migrate(db: Db, dir: string): string[] {
  registerSqlFunctions(db);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  )`);
  const applied = new Set(
    db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[],
  );
  const pending = fs
    .readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f) && !applied.has(f))
    .sort();
  const record = db.prepare('INSERT INTO schema_migrations (name) VALUES (?)');
  for (const file of pending) {
    const sql = fs.readFileSync(path.join(dir, file), 'utf8');
    // SQLite's way to rebuild a table others refer to: foreign keys off outside the transaction, checked before commit.
    const keysOff = sql.startsWith(KEYS_OFF_MARKER) && db.pragma('foreign_keys', { simple: true }) === 1;
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(sql);
        if (keysOff && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error('it leaves rows whose foreign keys point nowhere');
        record.run(file);
      })();
    } catch (err) {
      throw new MigrationError(`Migration ${file} failed: ${(err as Error).message}`);
    } finally {
      if (keysOff) db.pragma('foreign_keys = ON');
    }
  }
  return pending;
}
