import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationError, migrate } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { migrationsDir } from '../../src/paths.js';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
  db = openDatabase(path.join(dir, 'blog.db'));
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('turns on WAL, a busy timeout and foreign keys', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('keeps its page cache to 8 MB, half of what better-sqlite3 builds SQLite with', () => {
    // Negative: KiB rather than pages.
    expect(db.pragma('cache_size', { simple: true })).toBe(-8000);
  });
});

describe('migrate', () => {
  it('applies each file of migrations/ once and records it', () => {
    const first = migrate(db, migrationsDir);
    expect(first[0]).toBe('0001_initial.sql');
    expect(migrate(db, migrationsDir)).toEqual([]);
    const recorded = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all();
    expect(recorded).toEqual(first);
  });

  it('rolls a failing file back completely and names it', () => {
    const custom = path.join(dir, 'migrations');
    fs.mkdirSync(custom);
    fs.writeFileSync(path.join(custom, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(custom, '0002_broken.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    expect(() => migrate(db, custom)).toThrow(MigrationError);
    expect(() => migrate(db, custom)).toThrow(/0002_broken\.sql/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    expect(db.prepare('SELECT name FROM schema_migrations').pluck().all()).toEqual(['0001_ok.sql']);
  });
});

describe('migrate, rebuilding a table others refer to', () => {
  it('keeps every comment tied to its commenter when 0022 rebuilds commenters for Fediverse accounts', () => {
    const upTo = path.join(dir, 'upto');
    fs.mkdirSync(upTo);
    for (const f of fs.readdirSync(migrationsDir).filter((f) => f < '0022')) fs.copyFileSync(path.join(migrationsDir, f), path.join(upTo, f));
    migrate(db, upTo);
    db.exec(`INSERT INTO users (id, login, display_name, role) VALUES (1, 'a', 'A', 'administrator');
      INSERT INTO posts (id, author_id, title, slug, status, body_markdown, body_html, body_text, excerpt_html) VALUES (1, 1, 'T', 't', 'published', '', '', '', '');
      INSERT INTO commenters (id, provider, provider_uid, display_name) VALUES (7, 'google', 'g-1', 'Gita');
      INSERT INTO comments (post_id, status, author_name, body_html, commenter_id) VALUES (1, 'approved', 'Gita', '<p>Hai</p>', 7);`);
    migrate(db, migrationsDir);
    expect(db.prepare('SELECT commenter_id FROM comments').pluck().get()).toBe(7);
    db.prepare("INSERT INTO commenters (provider, provider_uid, display_name) VALUES ('fediverse', 'https://social.example/users/ana', 'Ana')").run();
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
