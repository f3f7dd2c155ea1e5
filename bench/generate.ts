/**
 * Builds a benchmark blog in one SQLite file: the first-run seed (the IMers article) plus generated posts and
 * comments, written with bulk inserts in one transaction so even the large blog takes seconds.
 * Small blog: generateBlog(path, { posts: 10, comments: 20 }). Large: { posts: 100_000, comments: 1_000_000 }.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createServices } from '../src/container.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { migrationsDir } from '../src/paths.js';
import { createCommentsRepository } from '../src/repositories/comments.js';
import { createPostsRepository } from '../src/repositories/posts.js';
import { createTermsRepository } from '../src/repositories/terms.js';
import { rerender } from '../src/rerender.js';
import { seed } from '../src/seed.js';
import { newPreviewKey } from '../src/services/posts.js';

export interface BlogSize {
  /** Posts besides the seed article. */
  posts: number;
  /** Approved comments: the first 20 (2 of them replies) on the seed article, the rest spread over the other posts. */
  comments: number;
}

export const SMALL_BLOG: BlogSize = { posts: 10, comments: 20 };
export const LARGE_BLOG: BlogSize = { posts: 100_000, comments: 1_000_000 };

const SEED_SLUG = 'trend-life-style-menjadi-pasangan-imers';
/** The category whose archive is measured (bench/pages.ts). */
export const ARCHIVE_CATEGORY = 'topic-4';
/** The blog's default posts per page. */
const PER_PAGE = 10;
const SEED_COMMENTS = 20;
const EXCERPT_WORDS = 55;
const FIRST_POST = Date.UTC(2006, 0, 1);
const LAST_POST = Date.UTC(2025, 0, 1);

/** A small fast deterministic generator (mulberry32), so every run builds the same blog. */
export function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Common words come first and are drawn far more often (a skewed pick), as in real text: searches for them match
// most posts, which is what a search's ranking cost depends on.
const COMMON = ['yang', 'dan', 'di', 'untuk', 'dengan', 'ini', 'itu', 'bisnis', 'internet', 'marketing', 'blog',
  'online', 'the', 'and', 'of', 'to', 'in', 'is', 'for', 'on', 'with', 'your', 'cara', 'tips', 'uang'];
const SYLLABLES = ['ka', 'ri', 'mo', 'na', 'se', 'tu', 'la', 'pe', 'di', 'go', 'ba', 'ne', 'so', 'ha', 'mi', 'ru'];

function vocabulary(next: () => number): string[] {
  const words = new Set(COMMON);
  while (words.size < 5_000) {
    const length = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

/** Plain lowercase words only, so the Markdown renders to exactly `<p>…</p>` per paragraph. */
function paragraphs(next: () => number, words: string[], count: number, length: number): string[] {
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const picked: string[] = [];
    for (let w = 0; w < length; w++) picked.push(words[Math.floor(words.length * next() ** 3)]);
    out.push(`${picked.join(' ')}.`);
  }
  return out;
}

/** What renderPost makes of such paragraphs (sanitizing them changes nothing): body, plain text and excerpt. */
function rendered(paras: string[]) {
  const bodyText = paras.join(' ');
  const words = bodyText.split(' ');
  const excerpt = words.length <= EXCERPT_WORDS ? bodyText : `${words.slice(0, EXCERPT_WORDS).join(' ')}…`;
  return {
    bodyMarkdown: paras.join('\n\n'),
    bodyHtml: paras.map((p) => `<p>${p}</p>\n`).join(''),
    bodyText,
    excerptHtml: `<p>${excerpt}</p>`,
    saysMore: words.length > EXCERPT_WORDS,
  };
}

export function generateBlog(dbPath: string, { posts, comments }: BlogSize): void {
  const db = openDatabase(dbPath);
  migrate(db, migrationsDir);
  const config = loadConfig({ DATABASE_PATH: dbPath, UPLOADS_DIR: path.join(path.dirname(dbPath), 'uploads') });
  const services = createServices(db, config, crypto.randomBytes(32).toString('hex'));
  seed(services);
  rerender(services, () => {});

  const postsRepo = createPostsRepository(db);
  const termsRepo = createTermsRepository(db);
  const commentsRepo = createCommentsRepository(db);
  const next = random(20160512);
  const words = vocabulary(next);
  // A new post has no terms to clear, so its links go in directly (setForPost would open a savepoint per post).
  const link = db.prepare('INSERT OR IGNORE INTO post_terms (post_id, term_id) VALUES (?, ?)');
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];

  // A new file written in one go: no journal (a failed run just leaves a file to delete), a large page cache.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Indexes are built once at the end, by sorting, far faster than growing them row by row; the search index too
  // (the generated posts in one statement instead of its insert trigger, which indexed the seed post already).
  // Whatever the migrations define is put back as they wrote it.
  const deferred = db.prepare(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL
    AND ((type = 'index' AND tbl_name IN ('posts', 'comments')) OR (type = 'trigger' AND name = 'posts_fts_insert'))`)
    .all() as { type: string; name: string; sql: string }[];
  const firstGenerated = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM posts').pluck().get() as number);
  db.transaction(() => {
    for (const { type, name } of deferred) db.exec(`DROP ${type.toUpperCase()} "${name}"`);
    const authorIds = [services.users.findByLogin('newbie-im')!.id];
    for (let i = 1; i <= 4; i++) {
      authorIds.push(services.users.create({ login: `author-${i}`, displayName: `Author ${i}`, email: null, passwordHash: null, role: 'author' }));
    }
    const named = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({ slug: `${prefix}-${i + 1}`, name: `${prefix[0].toUpperCase()}${prefix.slice(1)} ${i + 1}` }));
    const categoryTerms = termsRepo.ensure('category', named('topic', 20));
    const categories = categoryTerms.map((t) => t.id);
    const archiveCategory = categoryTerms.find((t) => t.slug === ARCHIVE_CATEGORY)!.id;
    const tags = termsRepo.ensure('tag', named('tag', 200)).map((t) => t.id);

    const postIds: number[] = [];
    const postTimes: number[] = [];
    const step = (LAST_POST - FIRST_POST) / Math.max(posts, 1);
    for (let i = 0; i < posts; i++) {
      const time = Math.floor(FIRST_POST + i * step);
      const title = paragraphs(next, words, 1, 4 + Math.floor(next() * 5))[0].slice(0, -1);
      const id = postsRepo.insert({
        type: 'post', status: 'published', slug: `post-${i + 1}`, title: title[0].toUpperCase() + title.slice(1),
        lang: null, ...rendered(paragraphs(next, words, 3, 20 + Math.floor(next() * 40))), excerpt: '',
        authorId: pick(authorIds), commentsOpen: true, publishedAt: new Date(time).toISOString(), previewKey: newPreviewKey(),
      });
      const category = pick(categories);
      // The first page's worth of posts is filed under the measured category too, so its archive page 1 lists as many
      // excerpts on the small blog (10 posts) as on the large one, and "large within 1.25x of small" compares one page.
      for (const termId of [category, pick(tags), pick(tags)]) link.run(id, termId);
      if (i < PER_PAGE) link.run(id, archiveCategory);
      postIds.push(id);
      postTimes.push(time);
    }

    const commenters = Array.from({ length: 1_000 }, (_, i) => {
      const email = `reader${i}@example.org`;
      return { name: `Reader ${i}`, email, avatarHash: crypto.createHash('sha256').update(email).digest('hex') };
    });
    const commentBodies = Array.from({ length: 5_000 }, () => `<p>${paragraphs(next, words, 1, 10 + Math.floor(next() * 30))[0]}</p>`);
    const seedPost = postsRepo.findPublished('post', SEED_SLUG)!;
    const addComments = (postId: number, after: number, count: number, replyAt: (k: number) => boolean) => {
      let last: number | null = null;
      for (let k = 0; k < count; k++, written++) {
        const who = commenters[written % commenters.length];
        last = commentsRepo.insert({
          postId, parentId: replyAt(k) ? last : null, status: 'approved',
          authorName: who.name, authorEmail: who.email, avatarHash: who.avatarHash, authorUrl: '',
          authorIp: `192.0.2.${written % 250}`, userAgent: 'generate.ts',
          bodyHtml: pick(commentBodies),
          createdAt: new Date(after + (k + 1) * 60_000).toISOString(), userId: null, commenterId: null,
        }).id;
      }
    };
    let written = 0;
    // Two replies on the seed article (its 6th and 14th comments), one in ten elsewhere. A post's comments are
    // written together, so the indexes grow at their end rather than everywhere at once.
    const onSeed = postIds.length === 0 ? comments : Math.min(comments, SEED_COMMENTS);
    addComments(seedPost.id, Date.parse(seedPost.publishedAt!), onSeed, (k) => k === 5 || k === 13);
    const rest = comments - onSeed;
    for (let i = 0; i < postIds.length; i++) {
      const count = Math.floor((rest * (i + 1)) / postIds.length) - Math.floor((rest * i) / postIds.length);
      addComments(postIds[i], postTimes[i], count, () => next() < 0.1);
    }
    db.prepare(`INSERT INTO posts_fts (rowid, title, body_text)
      SELECT id, search_text(title), search_text(body_text) FROM posts WHERE id >= ?`).run(firstGenerated);
    for (const { sql } of deferred) db.exec(sql);
  })();
  db.pragma('journal_mode = WAL');
  db.close();
}
