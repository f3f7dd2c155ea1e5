import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { createSettingsRepository } from '../../src/repositories/settings.js';
import { say, translator, type Message } from '../../src/i18n/index.js';
import { createSettingsService, TIME_ZONES } from '../../src/services/settings.js';

/** The refusals as the English screen says them. */
const inEnglish = (errors: Record<string, Message> = {}) =>
  Object.fromEntries(Object.entries(errors).map(([key, message]) => [key, say(translator('en'), message)]));

const STARTED_AS = 'http://localhost:3000';

function service() {
  const db = new Database(':memory:');
  migrate(db, migrationsDir);
  return { db, settings: createSettingsService(createSettingsRepository(db), STARTED_AS) };
}

describe('settings service', () => {
  it('has defaults: English, UTC, ten posts a page', () => {
    const { settings } = service();
    expect(settings.get()).toMatchObject({ language: 'en', timeZone: 'UTC', postsPerPage: 10 });
  });

  it("has WordPress's discussion defaults and an 8 MB upload limit", () => {
    expect(service().settings.get()).toMatchObject({
      requireNameEmail: true, requirePreviouslyApproved: true, moderationLinks: 2, moderationKeys: '', disallowedKeys: '',
      threadDepth: 5, pageComments: false, commentsPerPage: 50, closeCommentsAfterDays: 0, useGravatar: true, maxUploadMb: 8,
    });
  });

  it('stores valid values and survives a new service on the same database', () => {
    const { db, settings } = service();
    expect(settings.update({ title: 'Blog', language: 'id', timeZone: 'Asia/Jakarta', postsPerPage: '5' })).toEqual({});
    expect(createSettingsService(createSettingsRepository(db), STARTED_AS).get()).toMatchObject({
      title: 'Blog', language: 'id', timeZone: 'Asia/Jakarta', postsPerPage: 5,
    });
  });

  it('refuses bad values by name and keeps the old ones', () => {
    const { settings } = service();
    const result = settings.update({ timeZone: 'Mars/Olympus', postsPerPage: 0 });
    expect(Object.keys(result.errors ?? {}).sort()).toEqual(['postsPerPage', 'timeZone']);
    expect(settings.get().timeZone).toBe('UTC');
  });

  it('stores nothing at all when one of several values is refused', () => {
    const { settings } = service();
    expect(inEnglish(settings.update({ title: 'New', postsPerPage: '101' }).errors)).toEqual({ postsPerPage: 'Enter a whole number from 1 to 100.' });
    expect(settings.get().title).toBe('IMers Blog');
  });

  it('validates without storing', () => {
    const { settings } = service();
    expect(settings.validate({ title: 'New' })).toEqual({});
    expect(inEnglish(settings.validate({ title: '   ' }))).toEqual({ title: 'Enter a site title.' });
    // A value of a shape no form sends gets zod's refusal, said in the catalogue's general words.
    expect(settings.validate({ useGravatar: 'yes' })).toEqual({ useGravatar: 'admin.settings.error.invalid' });
    expect(settings.get().title).toBe('IMers Blog');
  });

  it('takes whole numbers as typed digits only, never coercing "", "1e1" or "0x10"', () => {
    const { settings } = service();
    for (const value of ['', '1e1', '0x10', '2.5', '-3', 'ten', 'Infinity', '9'.repeat(400)]) {
      expect(settings.validate({ postsPerPage: value }), value).toHaveProperty('postsPerPage');
    }
    expect(settings.update({ postsPerPage: ' 7 ', moderationLinks: '0' })).toEqual({});
    expect(settings.get()).toMatchObject({ postsPerPage: 7, moderationLinks: 0 });
  });

  it('keeps the word lists one entry a line, whatever line endings and blank lines came in', () => {
    const { settings } = service();
    settings.update({ moderationKeys: '  casino \r\n\r\n\n 10.0.0.1\r', disallowedKeys: '\n' });
    expect(settings.get()).toMatchObject({ moderationKeys: 'casino\n10.0.0.1', disallowedKeys: '' });
  });

  it('spells a time zone as Intl does, and offers UTC first among every zone the runtime knows', () => {
    const { settings } = service();
    settings.update({ timeZone: 'asia/jakarta' });
    expect(settings.get().timeZone).toBe('Asia/Jakarta');
    expect(TIME_ZONES[0]).toBe('UTC');
    expect(TIME_ZONES).toContain('Asia/Jakarta');
    expect(new Set(TIME_ZONES).size).toBe(TIME_ZONES.length);
  });
});

describe('settings service: the site URL', () => {
  it('is the address the server started with until one is set', () => {
    const { settings } = service();
    expect(settings.get().publicUrl).toBe('');
    expect(settings.siteUrl()).toBe(STARTED_AS);
  });

  it('stores an absolute http(s) address without its trailing slash, and empty goes back to the default', () => {
    const { settings } = service();
    expect(settings.update({ publicUrl: ' HTTPS://Blog.Example.org/ ' })).toEqual({});
    expect(settings.siteUrl()).toBe('https://blog.example.org');
    settings.update({ publicUrl: 'http://example.org:8080/blog//' });
    expect(settings.siteUrl()).toBe('http://example.org:8080/blog');
    settings.update({ publicUrl: '' });
    expect(settings.siteUrl()).toBe(STARTED_AS);
  });

  it('refuses anything that is not an absolute http(s) address, or that has a query, fragment or credentials', () => {
    const { settings } = service();
    for (const publicUrl of ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.org', '//example.org', 'example.org',
      'https://', 'https://exa mple.org', 'https://example.org/?', 'https://example.org/?a=1', 'https://example.org/#x',
      'https://user:pw@example.org', `https://example.org/${'a'.repeat(200)}`]) {
      expect(settings.validate({ publicUrl }), publicUrl).toHaveProperty('publicUrl');
    }
  });

  it('falls back to the default when a stored value no longer validates', () => {
    const { db } = service();
    db.prepare("INSERT INTO settings (key, value) VALUES ('publicUrl', ?)").run(JSON.stringify('javascript:alert(1)'));
    expect(createSettingsService(createSettingsRepository(db), STARTED_AS).siteUrl()).toBe(STARTED_AS);
  });
});
