import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/container.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { migrationsDir } from '../../src/paths.js';
import { rerender } from '../../src/rerender.js';
import { TEST_SECRET } from '../support/app.js';

const MARKER = '0008_rerender_html.sql';
const SOUP = '<p><li><table><li></li>a<a>a</a></table></li></p>';
const MARKDOWN = `${SOUP}\n\n<!--more-->\n\nrest`;
const POST_PATH = '/2021/03/04/tag-soup/';

// What the renderer before the fixed-point change stored for MARKDOWN, and for a comment with nested links
// (sanitized once, never settled): the rows an existing blog holds.
const OLD_BODY = `${SOUP}<p>rest</p>\n`;
const OLD_EXCERPT = SOUP;
const OLD_COMMENT = '<p><a href="https://a.example/" rel="nofollow ugc">x<a href="https://b.example/" rel="nofollow ugc">y</a></a></p>';

// The same, as the current renderer stores them: what a browser's parser builds, which it reads again unchanged.
const SETTLED = '<p></p><li></li><li></li>a<a>a</a><table></table><p></p>';
const NEW_BODY = `${SETTLED}<p>rest</p>\n`;
const NEW_COMMENT = '<p><a href="https://a.example/" rel="nofollow ugc">x</a><a href="https://b.example/" rel="nofollow ugc">y</a></p>';

let dir: string | undefined;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  db = dir = undefined;
});

/** A blog whose database went up to the migration before the marker and holds rows from the old renderer. */
function blogBeforeTheMarker() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rerender-'));
  const oldMigrations = path.join(dir, 'migrations');
  fs.mkdirSync(oldMigrations);
  for (const file of fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql') && f < MARKER)) {
    fs.copyFileSync(path.join(migrationsDir, file), path.join(oldMigrations, file));
  }
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path.join(dir, 'blog.db'), PUBLIC_URL: 'http://blog.test' });
  db = openDatabase(config.databasePath);
  migrate(db, oldMigrations);
  const authorId = db.prepare("INSERT INTO users (login, display_name, role) VALUES ('old-author', 'Old Author', 'author')").run().lastInsertRowid;
  const postId = Number(db.prepare(`INSERT INTO posts (type, status, slug, title, body_markdown, body_html, body_text,
      excerpt_html, author_id, published_at, preview_key)
    VALUES ('post', 'published', 'tag-soup', 'Tag soup', ?, ?, 'aa rest', ?, ?, '2021-03-04T05:00:00.000Z', 'old-preview-key')`)
    .run(MARKDOWN, OLD_BODY, OLD_EXCERPT, authorId).lastInsertRowid);
  const commentId = Number(db.prepare(`INSERT INTO comments (post_id, status, author_name, body_html, created_at)
    VALUES (?, 'approved', 'Old guest', ?, '2021-03-05T00:00:00.000Z')`).run(postId, OLD_COMMENT).lastInsertRowid);
  return { config, db, postId, commentId };
}

type Blog = ReturnType<typeof blogBeforeTheMarker>;

/** What src/main.ts does at start-up before the app: migrate, build the services, render stored HTML again if asked. */
function start({ config, db }: Blog) {
  const applied = migrate(db, migrationsDir);
  const services = createServices(db, config, TEST_SECRET);
  const log: string[] = [];
  rerender(services, (line) => log.push(line));
  return { applied, services, log };
}

/** The blog's app over that database, as test/support/app.ts builds it. */
const appOf = ({ config, db }: Blog, services: ReturnType<typeof start>['services']) =>
  createApp({ config, services, secret: TEST_SECRET, sessionStore: new SqliteSessionStore(db), limiters: sqliteLimiters(db) });

/** The stored columns a reader's pages are made of. */
const stored = ({ db, postId, commentId }: Blog) => ({
  ...(db.prepare('SELECT body_html AS bodyHtml, excerpt_html AS excerptHtml, updated_at AS updatedAt FROM posts WHERE id = ?')
    .get(postId) as { bodyHtml: string; excerptHtml: string; updatedAt: string }),
  commentHtml: db.prepare('SELECT body_html FROM comments WHERE id = ?').pluck().get(commentId) as string,
});

describe('rerender after the 0008 marker migration', () => {
  it('stores old post and comment HTML as the fixed point, and the pages serve it', async () => {
    const blog = blogBeforeTheMarker();
    const { updatedAt } = stored(blog);
    const { applied, services, log } = start(blog);
    const app = appOf(blog, services);

    expect(applied).toContain(MARKER);
    // The post's modification time stays: its author changed nothing, so feeds do not announce it again.
    expect(stored(blog)).toEqual({ bodyHtml: NEW_BODY, excerptHtml: SETTLED, updatedAt, commentHtml: NEW_COMMENT });
    expect(log).toEqual(['Stored HTML rendered again with the current renderer (posts changed: 1, comments changed: 1)']);

    const page = await request(app).get(POST_PATH).expect(200);
    expect(page.text).toContain(`<div class="entry-content">\n${NEW_BODY}`);
    expect(page.text).toContain(`<div class="comment-content">${NEW_COMMENT}</div>`);
    expect(page.text).not.toContain(SOUP);
    const home = await request(app).get('/').expect(200);
    expect(home.text).toContain(`<div class="entry-summary">${SETTLED}</div>`);
  });

  it('renders again at the next start when a command-line tool applied the migration without doing it', () => {
    const blog = blogBeforeTheMarker();
    expect(migrate(blog.db, migrationsDir)).toContain(MARKER);

    const { applied, log } = start(blog);
    expect(applied).toEqual([]);
    expect(stored(blog)).toMatchObject({ bodyHtml: NEW_BODY, excerptHtml: SETTLED, commentHtml: NEW_COMMENT });
    expect(log).toHaveLength(1);
  });

  it('renders once: later starts leave stored HTML as they find it', () => {
    const blog = blogBeforeTheMarker();
    start(blog);
    // Rows written after the re-rendering are the current renderer's business, not the start-up's.
    blog.db.prepare('UPDATE posts SET body_html = ? WHERE id = ?').run(OLD_BODY, blog.postId);
    blog.db.prepare('UPDATE comments SET body_html = ? WHERE id = ?').run(OLD_COMMENT, blog.commentId);

    const { applied, log } = start(blog);
    expect(applied).toEqual([]);
    expect(stored(blog)).toMatchObject({ bodyHtml: OLD_BODY, commentHtml: OLD_COMMENT });
    expect(log).toEqual([]);
  });
});
