import type { Db } from '../db/open.js';

/** Fedify's key-value rows: keys and values as JSON text, expiry as Unix milliseconds (null: kept). */
export function createFediKvRepository(db: Db) {
  const get = db.prepare<[string, number], { value: string }>('SELECT value FROM fedi_kv WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)');
  const set = db.prepare('INSERT INTO fedi_kv (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at');
  const remove = db.prepare('DELETE FROM fedi_kv WHERE key = ?');
  const expire = db.prepare('DELETE FROM fedi_kv WHERE expires_at IS NOT NULL AND expires_at <= ?');
  // Keys are JSON arrays: a prefix ["a","b"] matches '["a","b"]' itself and every key starting '["a","b",'.
  const list = db.prepare<{ exact: string; prefix: string; now: number }, { key: string; value: string }>(
    'SELECT key, value FROM fedi_kv WHERE (key = @exact OR substr(key, 1, length(@prefix)) = @prefix) AND (expires_at IS NULL OR expires_at > @now) ORDER BY key',
  );
  return {
    get: (key: string, now: number) => get.get(key, now)?.value,
    set: (key: string, value: string, expiresAt: number | null) => void set.run(key, value, expiresAt),
    delete: (key: string) => void remove.run(key),
    /** Drops expired rows; returns how many. */
    expire: (now: number) => expire.run(now).changes,
    list: (exact: string, prefix: string, now: number) => list.all({ exact, prefix, now }),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}

export type FediKvRepository = ReturnType<typeof createFediKvRepository>;
