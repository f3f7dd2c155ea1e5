import type { KvKey, KvStore, KvStoreSetOptions } from './fedify.js';
import type { FediKvRepository } from '../repositories/fedi-kv.js';

/** How often, at most, a write also drops expired rows. */
const EXPIRE_EVERY_MS = 60_000;

const keyOf = (key: KvKey) => JSON.stringify(key);
const expiryOf = (options: KvStoreSetOptions | undefined, now: number) => (options?.ttl ? now + options.ttl.total('millisecond') : null);

/**
 * Fedify's key-value store on the blog's SQLite file (`@fedify/sqlite` needs Node 22). Expired rows read as absent
 * and are deleted in passing. Only types come from Fedify here, so this file loads without it.
 */
export function createSqliteKvStore(repo: FediKvRepository, now: () => number = Date.now): Required<KvStore> {
  let expiredAt = 0;
  const tidy = (time: number) => {
    if (time - expiredAt < EXPIRE_EVERY_MS) return;
    expiredAt = time;
    repo.expire(time);
  };
  const read = (key: KvKey, time: number) => {
    const raw = repo.get(keyOf(key), time);
    return raw === undefined ? undefined : JSON.parse(raw);
  };
  const write = (key: KvKey, value: unknown, options: KvStoreSetOptions | undefined, time: number) => {
    // undefined has no JSON: Fedify never stores it, and reading it back would be ambiguous with "absent".
    repo.set(keyOf(key), JSON.stringify(value ?? null), expiryOf(options, time));
  };

  return {
    async get<T = unknown>(key: KvKey) {
      return read(key, now()) as T | undefined;
    },
    async set(key, value, options) {
      const time = now();
      write(key, value, options, time);
      tidy(time);
    },
    async delete(key) {
      repo.delete(keyOf(key));
    },
    /** Compare-and-swap in one transaction: equal when their JSON is. */
    async cas(key, expectedValue, newValue, options) {
      const time = now();
      return repo.transaction(() => {
        const current = read(key, time);
        if (JSON.stringify(current) !== JSON.stringify(expectedValue)) return false;
        write(key, newValue, options, time);
        return true;
      });
    },
    async *list(prefix) {
      const time = now();
      const rows = prefix ? repo.list(keyOf(prefix), `${keyOf(prefix).slice(0, -1)},`, time) : repo.list('', '[', time);
      for (const row of rows) yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
    },
  };
}
