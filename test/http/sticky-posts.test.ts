import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { countStatements } from '../support/statement-count.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
  t.services.settings.update({ postsPerPage: 3 });
  // Post 1 (oldest) … post 7 (newest), a day apart.
  for (let i = 1; i <= 7; i++) addPost(t, { slug: `post-${i}`, title: `Post number ${i}`, publishedAt: new Date(Date.UTC(2020, 0, i, 12)).toISOString() });
});
afterEach(() => t.close());

const stick = (...slugs: string[]) => {
  for (const slug of slugs) t.db.prepare('UPDATE posts SET sticky = 1 WHERE slug = ?').run(slug);
};

/** The titles of a list page's entries, in order. */
const titles = (html: string) => [...html.matchAll(/rel="bookmark">([^<]+)</g)].map((m) => m[1]);

describe('sticky posts on the home page', () => {
  it('come first on the first page, newest first among them, then the usual posts without repeating them', async () => {
    stick('post-2', 'post-6');
    const home = await request(t.app).get('/').expect(200);
    expect(titles(home.text)).toEqual(['Post number 6', 'Post number 2', 'Post number 7', 'Post number 5']);
  });

  it('change nothing on page 2, in the archives or in the feed, as in WordPress', async () => {
    stick('post-1', 'post-2');
    const second = await request(t.app).get('/page/2/').expect(200);
    expect(titles(second.text)).toEqual(['Post number 4', 'Post number 3', 'Post number 2']);
    const month = await request(t.app).get('/2020/01/').expect(200);
    expect(titles(month.text)).toEqual(['Post number 7', 'Post number 6', 'Post number 5']);
    const feed = await request(t.app).get('/feed/').expect(200);
    expect(feed.text).toContain('<title>Post number 7</title>');
    expect(feed.text).not.toContain('<title>Post number 1</title>');
    // and the first page does show them first
    expect(titles((await request(t.app).get('/').expect(200)).text).slice(0, 2)).toEqual(['Post number 2', 'Post number 1']);
  });

  it('carry the sticky class on the home page only', async () => {
    stick('post-2', 'post-7');
    const home = await request(t.app).get('/').expect(200);
    expect(home.text).toMatch(/<article class="entry summary sticky"[^>]*>\s*<header>\s*<h2 class="entry-title"><a href="\/2020\/01\/02\/post-2\/"/);
    expect(home.text.match(/summary sticky/g)).toHaveLength(2);
    const archive = await request(t.app).get('/2020/01/').expect(200);
    expect(archive.text).toContain('Post number 7');
    expect(archive.text).not.toContain('summary sticky');
  });

  it('cost the home page the same statements however many posts are sticky, read off the sticky index', async () => {
    await request(t.app).get('/').expect(200);
    const statements = async () => {
      const counter = countStatements(t.db);
      try {
        await request(t.app).get('/?utm=1').expect(200);
      } finally {
        counter.restore();
      }
      return counter.ran;
    };
    const none = await statements();
    stick('post-1', 'post-3', 'post-5');
    const three = await statements();
    expect(three.length).toBe(none.length);
    const sticky = three.find((sql) => sql.includes('posts_sticky'))!;
    const plan = (t.db.prepare(`EXPLAIN QUERY PLAN ${sticky}`).all() as { detail: string }[]).map((row) => row.detail);
    expect(plan).toContain('SCAN posts USING INDEX posts_sticky'); // the partial index holds only sticky posts
  });
});
