import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTermsRepository } from '../../src/repositories/terms.js';
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

  it('keeps a tag\'s pages (read off post_terms, migration 0010) equal to its published posts through every kind of change', () => {
    const tag = [{ slug: 'kept', name: 'Kept' }];
    for (let i = 0; i < 36; i++) {
      addPost(t, {
        slug: `k-${i}`, tags: tag, status: i % 9 === 0 ? 'draft' : 'published',
        publishedAt: new Date(Date.UTC(2022, i % 5, 1 + (i % 13), 6)).toISOString(),
      });
    }
    const terms = createTermsRepository(t.db);
    const kept = terms.findBySlug('tag', 'kept')!;
    const run = (sql: string) => t.db.prepare(sql).run();
    // What the tag holds, straight from posts: the list its pages must show.
    const truth = () => t.db.prepare(`SELECT p.slug FROM posts p JOIN post_terms pt ON pt.post_id = p.id
      WHERE pt.term_id = ? AND p.type = 'post' AND p.status = 'published' ORDER BY p.published_at DESC, p.id DESC`).pluck().all(kept.id) as string[];
    const shown = () => {
      const slugs: string[] = [];
      for (let page = 1, listing; (listing = t.services.posts.archive({ kind: 'tag', slug: 'kept' }, page)); page++) {
        expect(listing.total).toBe(truth().length);
        slugs.push(...listing.items.map((p) => p.slug));
      }
      return slugs;
    };
    expect(shown()).toEqual(truth());

    run("UPDATE posts SET status = 'published', published_at = '2023-06-01T00:00:00.000Z' WHERE slug = 'k-9'"); // a draft published
    run("UPDATE posts SET status = 'draft' WHERE slug = 'k-1'"); // unpublished
    run("UPDATE posts SET status = 'trash' WHERE slug = 'k-2'"); // trashed
    run("UPDATE posts SET published_at = '2021-01-01T00:00:00.000Z' WHERE slug = 'k-3'"); // re-dated to the end
    run("UPDATE posts SET type = 'page' WHERE slug = 'k-4'"); // made a page
    run("DELETE FROM posts WHERE slug = 'k-5'"); // deleted
    const untagged = t.db.prepare("SELECT id FROM posts WHERE slug = 'k-6'").pluck().get() as number;
    terms.setForPost(untagged, []); // tag removed
    const retagged = t.db.prepare("SELECT id FROM posts WHERE slug = 'k-18'").pluck().get() as number;
    terms.setForPost(retagged, [kept.id]); // tags saved again, unchanged

    const after = truth();
    expect(after).toContain('k-9');
    expect(after.at(-1)).toBe('k-3');
    for (const gone of ['k-1', 'k-2', 'k-4', 'k-5', 'k-6']) expect(after).not.toContain(gone);
    expect(shown()).toEqual(after);
  });
});
