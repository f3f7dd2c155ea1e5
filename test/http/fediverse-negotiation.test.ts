import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { Post } from '../../src/models.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const AS = 'application/activity+json';
const LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('A post answers ActivityPub clients and browsers at the same URL', () => {
  it('gives an Article to activity+json and ld+json and the page to a browser, and the page cache keeps them apart (each asked twice)', async () => {
    t = makeTestApp();
    const id = addPost(t, { slug: 'federated-words', markdown: 'Hello **Fediverse**.', tags: [{ slug: 'small-web', name: 'Small Web' }], publishedAt: '2024-03-04T05:06:07.000Z' });
    const path = t.services.posts.permalinkOf(id)!;
    for (let round = 0; round < 2; round++) {
      const page = await request(t.app).get(path).set('Accept', BROWSER).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<strong>Fediverse</strong>');
      for (const accept of [AS, LD]) {
        const json = await request(t.app).get(path).set('Accept', accept).expect(200);
        expect(json.headers['content-type']).toMatch(/^application\/activity\+json/);
        expect(JSON.parse(json.text)).toMatchObject({
          id: `http://blog.test${path}`,
          type: 'Article',
          name: 'federated words',
          url: `http://blog.test${path}`,
          content: expect.stringContaining('<strong>Fediverse</strong>'),
          published: '2024-03-04T05:06:07Z',
          attributedTo: 'http://blog.test/fediverse/users/blog',
          to: 'as:Public',
          cc: 'http://blog.test/fediverse/users/blog/followers',
          tag: { type: 'Hashtag', name: '#SmallWeb', href: 'http://blog.test/tag/small-web/' },
        });
      }
    }
  });

  it('gives the Article of a post whose slug is percent-encoded (a title in Japanese), however the address is encoded', async () => {
    t = makeTestApp();
    const id = addPost(t, { slug: '%e6%9d%b1%e4%ba%ac', title: '東京', publishedAt: '2024-03-04T05:06:07.000Z' });
    const path = t.services.posts.permalinkOf(id)!;
    expect(path).toBe('/2024/03/04/%e6%9d%b1%e4%ba%ac/');
    for (const asked of [path, path.toUpperCase()]) {
      const json = await request(t.app).get(asked).set('Accept', AS).expect(200);
      expect(JSON.parse(json.text)).toMatchObject({ id: `http://blog.test${path}`, type: 'Article', name: '東京' });
    }
  });

  it('answers 404 to activity+json for a draft and a password-protected post (the reader still gets the page or its password form)', async () => {
    t = makeTestApp();
    const draftId = addPost(t, { slug: 'soon-a-draft' });
    const draftPath = t.services.posts.permalinkOf(draftId)!;
    await request(t.app).get(draftPath).set('Accept', AS).expect(200);
    t.services.postEditor.switchToDraft({ id: draftId, slug: 'soon-a-draft', status: 'published' } as Post);
    await request(t.app).get(draftPath).set('Accept', AS).expect(404);

    const lockedId = addPost(t, { slug: 'locked' });
    t.db.prepare("UPDATE posts SET password = 'sesame' WHERE id = ?").run(lockedId);
    const lockedPath = t.services.posts.permalinkOf(lockedId)!;
    await request(t.app).get(lockedPath).set('Accept', AS).expect(404);
    await request(t.app).get(lockedPath).set('Accept', BROWSER).expect(200);
  });

  it('negotiates only at the home page and permalinks: a stylesheet, the feed, a search and a listing answer as for a browser, and a post URL without its trailing slash or at another date still redirects', async () => {
    t = makeTestApp();
    const home = await request(t.app).get('/').set('Accept', BROWSER).expect(200);
    const stylesheet = /<link rel="stylesheet" href="([^"]+)"/.exec(home.text)![1];
    const css = await request(t.app).get(stylesheet).set('Accept', AS).expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    for (const accept of [AS, LD]) {
      const feed = await request(t.app).get('/feed/').set('Accept', accept).expect(200);
      expect(feed.headers['content-type']).toMatch(/^application\/rss\+xml/);
      const search = await request(t.app).get('/?s=pasangan').set('Accept', accept).expect(200);
      expect(search.headers['content-type']).toMatch(/^text\/html/);
      expect(search.text).toContain(SEED_PATH);
      const listing = await request(t.app).get('/2016/').set('Accept', accept).expect(200);
      expect(listing.headers['content-type']).toMatch(/^text\/html/);
      await request(t.app).get(SEED_PATH.slice(0, -1)).set('Accept', accept).expect(301).expect('Location', SEED_PATH);
      // A post asked at another date's path is sent to its own, where the client then gets the Article.
      await request(t.app).get(SEED_PATH.replace('/12/', '/13/')).set('Accept', accept).expect(301).expect('Location', SEED_PATH);
    }
  });

  it('sends an ActivityPub client at the home page to the blog actor, and a browser at the actor to the home page', async () => {
    t = makeTestApp();
    await request(t.app).get('/').set('Accept', AS).expect(302).expect('Location', 'http://blog.test/fediverse/users/blog');
    await request(t.app).get('/fediverse/users/blog').set('Accept', BROWSER).expect(302).expect('Location', '/');
  });
});
