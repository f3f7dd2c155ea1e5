import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostsRepository } from '../../src/repositories/posts.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
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
