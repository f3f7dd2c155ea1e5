import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { createSettingsRepository } from '../../src/repositories/settings.js';
import { createSettingsService } from '../../src/services/settings.js';

function service() {
  const db = new Database(':memory:');
  migrate(db, migrationsDir);
  return { db, settings: createSettingsService(createSettingsRepository(db)) };
}

describe('settings service', () => {
  it('has defaults: English, UTC, ten posts a page', () => {
    const { settings } = service();
    expect(settings.get()).toMatchObject({ language: 'en', timeZone: 'UTC', postsPerPage: 10 });
  });

  it('stores valid values and survives a new service on the same database', () => {
    const { db, settings } = service();
    expect(settings.update({ title: 'Blog', language: 'id', timeZone: 'Asia/Jakarta', postsPerPage: '5' })).toEqual({});
    expect(createSettingsService(createSettingsRepository(db)).get()).toMatchObject({
      title: 'Blog', language: 'id', timeZone: 'Asia/Jakarta', postsPerPage: 5,
    });
  });

  it('refuses bad values by name and keeps the old ones', () => {
    const { settings } = service();
    const result = settings.update({ timeZone: 'Mars/Olympus', postsPerPage: 0 });
    expect(Object.keys(result.errors ?? {}).sort()).toEqual(['postsPerPage', 'timeZone']);
    expect(settings.get().timeZone).toBe('UTC');
  });
});
