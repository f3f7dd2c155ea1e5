import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const MARKER = '0028_search_words.sql';

/** The search index as migrations before 0028 kept it: the posts' own text, kept in step by triggers. */
function indexAsBefore(t: TestApp) {
  t.db.exec(`
    DROP TRIGGER posts_fts_insert; DROP TRIGGER posts_fts_delete; DROP TRIGGER posts_fts_update; DROP TABLE posts_fts;
    CREATE VIRTUAL TABLE posts_fts USING fts5(title, body_text, content = 'posts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
    CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
      INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
    END;
    CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
      INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
    END;
    CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body_text ON posts BEGIN
      INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
      INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
    END;
    INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
    DELETE FROM schema_migrations WHERE name = '${MARKER}';`);
}

const found = async (t: TestApp, words: string) => (await request(t.app).get(`/?s=${encodeURIComponent(words)}`).expect(200)).text;

describe('migration 0028 on a blog whose search index read a run of Chinese characters as one word', () => {
  it('indexes the posts again so a word inside the run is found, and later saves keep the index right', async () => {
    t = makeTestApp({ env: { PAGE_CACHE: 'off' } });
    addPost(t, { slug: 'tokyo-trip', title: 'Perjalanan', markdown: '我们第一次去东京，住在新宿。' });
    indexAsBefore(t);
    expect(await found(t, '东京')).not.toContain('Perjalanan');

    expect(migrate(t.db, migrationsDir)).toEqual([MARKER]);
    expect(await found(t, '东京')).toContain('Perjalanan');
    // Posts in Latin letters are found as before; the integrity of the index holds.
    expect(await found(t, 'pasangan')).toContain('Trend life style');
    t.db.prepare("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')").run();

    // Saved again, then deleted: the index follows.
    t.db.prepare("UPDATE posts SET body_text = '我们去了大阪。' WHERE slug = 'tokyo-trip'").run();
    expect(await found(t, '东京')).not.toContain('Perjalanan');
    expect(await found(t, '大阪')).toContain('Perjalanan');
    t.db.prepare("DELETE FROM posts WHERE slug = 'tokyo-trip'").run();
    expect(await found(t, '大阪')).not.toContain('Perjalanan');
    t.db.prepare("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')").run();
  });
});
