import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostsRepository } from '../../src/repositories/posts.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statement-count.js';

let t: TestApp;
// Posts are written straight to the database here, past the page cache's invalidation: every answer is rendered.
beforeEach(() => {
  t = makeTestApp({ env: { PAGE_CACHE: 'off' } });
});
afterEach(() => t.close());

/** Publishes `count` posts at once (a draft every tenth), straight through the repository: rendering thousands would be slow. */
function addPosts(count: number) {
  const posts = createPostsRepository(t.db);
  const authorId = t.services.users.findByLogin('newbie-im')!.id;
  t.db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      posts.insert({
        type: 'post', status: i % 10 === 0 ? 'draft' : 'published', slug: `bulk-${i}`, title: `Bulk ${i}`, lang: null,
        bodyMarkdown: 'x', bodyHtml: '<p>x</p>\n', bodyText: 'x', excerpt: '', excerptHtml: '<p>x</p>', saysMore: false, authorId, commentsOpen: true,
        publishedAt: new Date(Date.UTC(2017, 0, 1) + i * 3600_000).toISOString(), previewKey: `key-${i}`,
      });
    }
  })();
}

const parse = (xml: string) => new XMLParser({ isArray: (name) => name === 'url' || name === 'sitemap' }).parse(xml);
const path = (loc: string) => loc.replace('http://blog.test', '');

describe('GET /sitemap.xml', () => {
  it('lists every URL itself while they fit in one file', async () => {
    addPosts(100);
    const doc = parse((await request(t.app).get('/sitemap.xml').expect(200).expect('Content-Type', /xml/)).text);
    expect(doc.sitemapindex).toBeUndefined();
    expect(doc.urlset.url.map((u: { loc: string }) => path(u.loc))).toContain(SEED_PATH);
    expect(doc.urlset.url).toHaveLength(1 + 1 + 90);
  });

  it('becomes an index of files of at most 2,000 URLs that together list every published post once', async () => {
    addPosts(4500);
    const index = parse((await request(t.app).get('/sitemap.xml').expect(200)).text);
    expect(index.urlset).toBeUndefined();
    const files = index.sitemapindex.sitemap.map((s: { loc: string; lastmod: string }) => {
      expect(s.lastmod).toMatch(/^\d{4}-\d\d-\d\dT/);
      return path(s.loc);
    });
    expect(files).toEqual(['/sitemap-1.xml', '/sitemap-2.xml', '/sitemap-3.xml']);

    const seen: string[] = [];
    for (const file of files) {
      const doc = parse((await request(t.app).get(file).expect(200).expect('Content-Type', /xml/)).text);
      expect(doc.urlset.url.length).toBeLessThanOrEqual(2000);
      seen.push(...doc.urlset.url.map((u: { loc: string }) => path(u.loc)));
    }
    expect(seen).toHaveLength(1 + 1 + 4050);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('/');
    expect(seen).toContain(SEED_PATH);
    expect(seen).toContain('/2017/01/01/bulk-1/');
    expect(seen.some((p) => p.endsWith('/bulk-10/'))).toBe(false);

    await request(t.app).get('/sitemap-4.xml').expect(404);
    await request(t.app).get('/sitemap-0.xml').expect(404);
    await request(t.app).get('/sitemap-x.xml').expect(404);
    expect((await request(t.app).get('/robots.txt').expect(200)).text).toContain('Sitemap: http://blog.test/sitemap.xml');
  });

  it('stays one file up to 2,000 URLs with the home page, and splits at the next', async () => {
    addPosts(2220); // 1,998 published, with the seed post 1,999: 2,000 URLs
    expect(parse((await request(t.app).get('/sitemap.xml').expect(200)).text).urlset.url).toHaveLength(2000);
    t.db.prepare("UPDATE posts SET status = 'published' WHERE slug = 'bulk-10'").run();
    const index = parse((await request(t.app).get('/sitemap.xml').expect(200)).text);
    expect(index.sitemapindex.sitemap.map((s: { loc: string }) => path(s.loc))).toEqual(['/sitemap-1.xml', '/sitemap-2.xml']);
  });

  it('dates each file of the index by the last change to a published post it lists', async () => {
    addPosts(4500);
    const lastmods = async () => Object.fromEntries(parse((await request(t.app).get('/sitemap.xml').expect(200)).text).sitemapindex.sitemap
      .map((s: { loc: string; lastmod: string }) => [path(s.loc), s.lastmod]));
    const before = await lastmods();
    // The second file lists ids 2,000 to 3,998: bulk-2501 is one of them, bulk-2510 a draft among them.
    t.db.prepare("UPDATE posts SET updated_at = '2031-02-03T04:05:06.789Z' WHERE slug = 'bulk-2501'").run();
    t.db.prepare("UPDATE posts SET updated_at = '2035-01-01T00:00:00.000Z' WHERE slug = 'bulk-2510'").run();
    expect(await lastmods()).toEqual({ ...before, '/sitemap-2.xml': '2031-02-03T04:05:06.789Z' });
    const file = (await request(t.app).get('/sitemap-2.xml').expect(200)).text;
    expect(file).toMatch(/\/bulk-2501\/<\/loc>\n {4}<lastmod>2031-02-03T04:05:06.789Z<\/lastmod>/);
  });

  it('reads the index and a file off indexes alone: a seek per file for the index, no post row for a file', async () => {
    addPosts(4500);
    const counter = countStatements(t.db);
    try {
      await request(t.app).get('/sitemap.xml').expect(200);
      await request(t.app).get('/sitemap-2.xml').expect(200);
    } finally {
      counter.restore();
    }
    const plans = counter.calls.filter(({ sql }) => /\bposts\b/.test(sql))
      .map(({ sql, args }) => (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((row) => row.detail));
    const reads = plans.flat().filter((line) => /\b(posts|p)\b/.test(line));
    expect(reads).toContain('SEARCH posts USING COVERING INDEX posts_sitemap_spans (status=? AND <expr>=?)');
    expect(reads).toContain('SEARCH p USING COVERING INDEX posts_sitemap (status=? AND id>? AND id<?)');
    // Grouping every published post, or reading rows past their bodies, is what this rules out.
    expect(plans.flat().filter((line) => /TEMP B-TREE/.test(line))).toEqual([]);
    expect(reads.filter((line) => !/COVERING INDEX|INTEGER PRIMARY KEY/.test(line))).toEqual([]);
  });

  it('escapes what XML reserves in a slug', async () => {
    addPosts(2100);
    t.db.prepare("UPDATE posts SET slug = 'fish&chips-\"x\"-<y>-''z''' WHERE slug = 'bulk-1'").run();
    const xml = (await request(t.app).get('/sitemap-1.xml').expect(200)).text;
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<loc>http://blog.test/2017/01/01/fish&amp;chips-&quot;x&quot;-&lt;y&gt;-&apos;z&apos;/</loc>');
    expect(parse(xml).urlset.url.map((u: { loc: string }) => path(u.loc))).toContain('/2017/01/01/fish&chips-"x"-<y>-\'z\'/');
    expect(XMLValidator.validate((await request(t.app).get('/sitemap.xml').expect(200)).text)).toBe(true);
  });
});
