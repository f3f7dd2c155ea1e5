import type { Database } from 'better-sqlite3';

export interface SettingsRepository {
  all(): Record<string, unknown>;
  set(values: Record<string, unknown>): void;
}

export function createSettingsRepository(db: Database): SettingsRepository {
  const selectAll = db.prepare('SELECT key, value FROM settings');
  const upsert = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const setMany = db.transaction((values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) upsert.run(key, JSON.stringify(value));
  });
  return {
    all() {
      const rows = selectAll.all() as { key: string; value: string }[];
      return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
    },
    set: (values) => setMany(values),
  };
}
