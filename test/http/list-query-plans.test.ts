import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCommentsRepository } from '../../src/repositories/comments.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statement-count.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp({ env: { PAGE_CACHE: 'off' } });
});
afterEach(() => t.close());

/** Tables that stay small whatever the blog's size; reading one whole is fine. */
const SMALL_TABLES = new Set(['settings', 'users', 'terms', 'listing_months', 'schema_migrations', 'pending_work']);

/**
 * The lines of a statement's query plan that read a large table row by row with no index, or that sort what an
 * index gave because the index lacks the list's tie-break (every matching row is then read to order a page).
 */
function fullScans(t: TestApp, sql: string, args: unknown[]): string[] {
  const plan = t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
  return plan
    .map((row) => row.detail)
    .filter((detail) => {
      if (detail === 'USE TEMP B-TREE FOR LAST TERM OF ORDER BY') return true;
      const scan = /^SCAN (\w+)(?: AS \w+)?( USING (?:COVERING )?INDEX| VIRTUAL TABLE INDEX)?/.exec(detail);
      return scan !== null && !scan[2] && !SMALL_TABLES.has(scan[1]) && !/^json_each$/.test(scan[1]);
    });
}

describe('the list queries', () => {
  it('read every large table through an index in the list\'s order, on every reader list, feed, sitemap, search and comment list', async () => {
    for (let i = 1; i <= 12; i++) addPost(t, { slug: `post-${i}`, publishedAt: new Date(Date.UTC(2020, i % 12, i)).toISOString(), tags: [{ slug: 'imers', name: 'IMers' }] });
    const counter = countStatements(t.db);
    try {
      for (const path of ['/', '/page/2/', '/category/life-style/', '/tag/imers/', '/tag/imers/page/2/', '/author/newbie-im/', '/2016/',
        '/2016/05/', '/2016/05/12/', '/?s=imers', '/?s=pasangan+imers&paged=1', '/feed/', '/feed/atom/', '/tag/imers/feed/', '/author/newbie-im/feed/', '/comments/feed/', `${SEED_PATH}feed/`, '/sitemap.xml', SEED_PATH]) {
        await request(t.app).get(path).expect(200);
      }
      const comments = createCommentsRepository(t.db);
      comments.listForAdmin(['approved', 'pending'], { postId: 1 }, 20, 0);
      comments.countByStatus({ postId: 1 });
      comments.countByStatus({ postAuthorId: 1 });
    } finally {
      counter.restore();
    }

    const lists = counter.calls.filter(({ sql }) => /^\s*SELECT/i.test(sql));
    expect(lists.length).toBeGreaterThan(20);
    const problems = lists
      .map(({ sql, args }) => ({ sql: sql.replace(/\s+/g, ' ').trim(), scans: fullScans(t, sql, args) }))
      .filter(({ scans }) => scans.length > 0);
    if (process.env.SHOW_PLANS) for (const { sql, args } of lists) console.log(sql.replace(/\s+/g, " ").slice(0, 140), "\n   ", t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args).map((r: any) => r.detail).join(" / "));
    expect(problems).toEqual([]);
  });

  it('finds the comments feed\'s newest comments off the index of approved comments by date, sorting none', async () => {
    const counter = countStatements(t.db);
    try {
      await request(t.app).get('/comments/feed/').expect(200);
    } finally {
      counter.restore();
    }
    const feed = counter.calls.filter(({ sql }) => /FROM comments c/.test(sql));
    expect(feed).toHaveLength(1);
    const plan = (t.db.prepare(`EXPLAIN QUERY PLAN ${feed[0].sql}`).all(...feed[0].args) as { detail: string }[]).map((row) => row.detail);
    expect(plan).toEqual(['SCAN c USING INDEX comments_approved_time', 'SEARCH p USING INTEGER PRIMARY KEY (rowid=?)']);
  });

  it('checks a new comment for a duplicate among the post\'s comments that end like it only, whoever wrote them', async () => {
    const counter = countStatements(t.db);
    try {
      createCommentsRepository(t.db).isDuplicate({ postId: 1, parentId: null, authorName: 'Ani', authorEmail: 'ani@example.org', bodyHtml: '<p>Halo</p>' });
    } finally {
      counter.restore();
    }
    const plans = counter.calls.map(({ sql, args }) => (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail));
    expect(plans).toEqual([['SEARCH comments USING INDEX comments_post_text_end (post_id=? AND <expr>=?)']]);
  });

  it('picks a category or tag page\'s posts off the term\'s own index range, reading no other post the term holds', async () => {
    for (let i = 1; i <= 25; i++) addPost(t, { slug: `post-${i}`, publishedAt: new Date(Date.UTC(2020, i % 12, i)).toISOString(), tags: [{ slug: 'imers', name: 'IMers' }] });
    const counter = countStatements(t.db);
    try {
      for (const path of ['/category/life-style/', '/tag/imers/', '/tag/imers/page/3/']) await request(t.app).get(path).expect(200);
    } finally {
      counter.restore();
    }
    const pages = counter.calls.filter(({ sql }) => /FROM post_terms/.test(sql) && /LIMIT/.test(sql));
    expect(pages).toHaveLength(3);
    for (const { sql, args } of pages) {
      const plan = (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail);
      expect(plan).toContain('SEARCH post_terms USING COVERING INDEX post_terms_listing (term_id=? AND listed_at>? AND listed_at<?)');
      // The posts table is read by primary key only: the page's own rows.
      expect(plan.filter((line) => /\b(posts|p)\b/.test(line) && !/INTEGER PRIMARY KEY/.test(line))).toEqual([]);
    }
  });

  it('reads no post\'s body or page ancestry for a list page, which shows neither; the feeds read the bodies they carry', async () => {
    for (let i = 1; i <= 12; i++) addPost(t, { slug: `post-${i}`, publishedAt: new Date(Date.UTC(2020, i % 12, i)).toISOString(), tags: [{ slug: 'imers', name: 'IMers' }] });
    const postReads = async (path: string) => {
      const counter = countStatements(t.db);
      try {
        await request(t.app).get(path).expect(200);
      } finally {
        counter.restore();
      }
      return counter.ran.filter((sql) => /^SELECT p\.id, p\.type\b.* FROM posts p JOIN users u/.test(sql));
    };
    for (const path of ['/', '/page/2/', '/category/life-style/', '/tag/imers/', '/author/newbie-im/', '/2020/']) {
      const reads = await postReads(path);
      expect(reads.length, path).toBeGreaterThan(0);
      for (const sql of reads) expect(sql, path).not.toMatch(/body_markdown|body_html|body_text|a1\.slug/);
    }
    for (const path of ['/feed/', '/tag/imers/feed/']) {
      const reads = await postReads(path);
      expect(reads.some((sql) => sql.includes('p.body_html AS bodyHtml')), path).toBe(true);
    }
  });
});
