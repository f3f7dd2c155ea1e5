import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostsRepository } from '../../src/repositories/posts.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeEach(() => {
  t = makeTestApp({ env: { PAGE_CACHE: 'off' } });
});
afterEach(() => t.close());

/** Publishes posts that all mention `word`, one an hour from 2019 on, straight through the repository (rendering a thousand is slow). */
function addMatching(count: number, word: string) {
  const posts = createPostsRepository(t.db);
  const authorId = t.services.users.findByLogin('newbie-im')!.id;
  t.db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const text = `Post ${i} says ${word} once.`;
      posts.insert({
        type: 'post', status: 'published', slug: `many-${i}`, title: `Many ${i}`, lang: null, bodyMarkdown: text, bodyHtml: `<p>${text}</p>\n`,
        bodyText: text, excerpt: '', excerptHtml: `<p>${text}</p>`, saysMore: false, authorId, commentsOpen: true,
        publishedAt: new Date(Date.UTC(2019, 0, 1) + i * 3600_000).toISOString(), previewKey: `key-${i}`,
      });
    }
  })();
}

describe('a search that matches more than 1,000 posts', () => {
  it('says "more than 1,000 results" in English and Indonesian, and pages through the first 1,000', async () => {
    addMatching(1005, 'zebrakata');
    const first = await request(t.app).get('/?s=zebrakata').expect(200);
    expect(first.text).toContain('More than 1,000 results');
    expect(first.text).not.toContain('1005 results');
    expect(first.text).toContain('Page 1 of 100');
    const last = await request(t.app).get('/page/100/?s=zebrakata').expect(200);
    expect(last.text.match(/class="entry summary search-result"/g)).toHaveLength(10);
    await request(t.app).get('/page/101/?s=zebrakata').expect(404);

    t.services.settings.update({ language: 'id' });
    expect((await request(t.app).get('/?s=zebrakata').expect(200)).text).toContain('Lebih dari 1.000 hasil');
  });

  it('still counts exactly up to 1,000', async () => {
    addMatching(1000, 'zebrakata');
    const res = await request(t.app).get('/?s=zebrakata').expect(200);
    expect(res.text).toContain('1,000 results');
    expect(res.text).not.toContain('More than');
  });

  it('ranks a title match above the text matches, with its words marked in the snippet whatever their accents', async () => {
    addMatching(1500, 'zebrakata');
    addPost(t, { slug: 'zebrakata-kunci', title: 'Zebrakata kunci', markdown: 'Tentang zebrakata dan zébrakatá, dan bukan yang lain.' });
    const res = await request(t.app).get('/?s=zebrakata').expect(200);
    const titles = [...res.text.matchAll(/class="entry-title"><a [^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(titles[0]).toBe('Zebrakata kunci');
    expect(res.text).toContain('Tentang <mark>zebrakata</mark> dan <mark>zébrakatá</mark>, dan bukan yang lain.');
  });
});
