import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp();
});
afterEach(() => t.close());

describe('posts.archive paging (monthly counts, see migration 0009)', () => {
  it('gives every page the posts an OFFSET over the full order would, across month edges and equal times', () => {
    const expected: { slug: string; at: string; id: number }[] = [];
    for (let i = 0; i < 47; i++) {
      // Uneven months (0 to 17 posts), and pairs published at the same instant.
      const at = new Date(Date.UTC(2021, [0, 0, 0, 2, 2, 5][i % 6] + Math.floor(i / 24), 1 + (i % 27), 8)).toISOString();
      const slug = `p-${i}`;
      const tagged = i % 3 === 0;
      const id = addPost(t, { slug, publishedAt: at, tags: tagged ? [{ slug: 'third', name: 'Third' }] : [] });
      expected.push({ slug, at, id });
      if (i % 7 === 0) expected.push({ slug: `twin-${i}`, at, id: addPost(t, { slug: `twin-${i}`, publishedAt: at }) });
    }
    // Unpublishing and re-dating through the admin's paths must keep the counts right.
    t.db.prepare("UPDATE posts SET status = 'draft' WHERE slug = 'p-5'").run();
    t.db.prepare("UPDATE posts SET published_at = '2023-12-31T00:00:00.000Z' WHERE slug = 'p-6'").run();
    const live = expected
      .filter((p) => p.slug !== 'p-5')
      .map((p) => (p.slug === 'p-6' ? { ...p, at: '2023-12-31T00:00:00.000Z' } : p));
    live.push({ slug: 'trend-life-style-menjadi-pasangan-imers', at: '2016-05-12T03:00:00.000Z', id: 1 });
    const order = (list: typeof live) => [...list].sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id).map((p) => p.slug);

    const home = order(live);
    const pages = Math.ceil(home.length / 10);
    for (let page = 1; page <= pages; page++) {
      const listing = t.services.posts.archive({ kind: 'home' }, page)!;
      expect(listing.total).toBe(home.length);
      expect(listing.items.map((p) => p.slug)).toEqual(home.slice((page - 1) * 10, page * 10));
    }
    expect(t.services.posts.archive({ kind: 'home' }, pages + 1)).toBeNull();

    const third = order(live.filter((p) => /^p-\d+$/.test(p.slug) && Number(p.slug.slice(2)) % 3 === 0));
    for (let page = 1; page <= Math.ceil(third.length / 10); page++) {
      const listing = t.services.posts.archive({ kind: 'tag', slug: 'third' }, page)!;
      expect(listing.total).toBe(third.length);
      expect(listing.items.map((p) => p.slug)).toEqual(third.slice((page - 1) * 10, page * 10));
    }
  });
});
