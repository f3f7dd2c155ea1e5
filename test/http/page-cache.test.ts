import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { formFields, manualClock } from '../support/comments.js';
import { createAccount } from '../support/admin.js';

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
afterEach(() => t.close());

function start(env: Record<string, string> = {}) {
  clock = manualClock();
  t = makeTestApp({ now: clock.now, env });
  t.services.settings.update({ requirePreviouslyApproved: false, moderationLinks: 0 } as never);
}

const seedId = () => t.db.prepare("SELECT id FROM posts WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").pluck().get() as number;
const pathOf = (id: number) => t.services.posts.permalinkOf(id)!;
const page = async (path: string) => (await request(t.app).get(path).expect(200)).text;

/**
 * Renames a post behind the services' back (plain SQL, which reports no change): a page that shows the new title
 * was rendered after this; one that still shows the old title came out of the page cache.
 */
const renameBehindTheCache = (id: number, title: string) => t.db.prepare('UPDATE posts SET title = ? WHERE id = ?').run(title, id);

/** The comment-count label a list shows for a post. */
const countLabel = (html: string, path: string) => new RegExp(`href="${path}#comments">([^<]+)<`).exec(html)?.[1];

/** Three posts in date order: the seed (2016), B, then C, the newest. */
function threePosts() {
  const a = seedId();
  const b = addPost(t, { slug: 'post-b', title: 'Post B', publishedAt: '2026-01-01T10:00:00Z' });
  const c = addPost(t, { slug: 'post-c', title: 'Post C', publishedAt: '2026-02-01T10:00:00Z' });
  return { a, b, c };
}

async function guestComment(postId: number, text: string) {
  // The clock stays: a kept post page lives as long as its comment form's token window (see formTokenWindowEnd).
  const token = t.services.comments.formToken(postId);
  const result = t.services.comments.submit({
    postId: String(postId), parentId: '0', name: 'Ani', email: 'ani@example.org', url: '', text,
    honeypot: '', formToken: token, ip: '10.0.0.1', userAgent: 'test',
  });
  if (!('comment' in result)) throw new Error(JSON.stringify(result.errors));
  return result.comment;
}

describe('the page cache', () => {
  it('answers an anonymous reader from the cache until something the page shows changes', async () => {
    start();
    await page(SEED_PATH);
    renameBehindTheCache(seedId(), 'Renamed in SQL');
    expect(await page(SEED_PATH)).not.toContain('Renamed in SQL');
  });

  it('with PAGE_CACHE=off renders every request', async () => {
    start({ PAGE_CACHE: 'off' });
    await page(SEED_PATH);
    renameBehindTheCache(seedId(), 'Renamed in SQL');
    const res = await request(t.app).get(SEED_PATH).expect(200);
    expect(res.text).toContain('Renamed in SQL');
    expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=60');
  });

  it('keys a post page on its comment page, and lets any other query through to a fresh render', async () => {
    start();
    await page(`${SEED_PATH}?cpage=1`);
    await page(`${SEED_PATH}?utm_source=news`);
    renameBehindTheCache(seedId(), 'Renamed in SQL');
    expect(await page(`${SEED_PATH}?cpage=1`)).not.toContain('Renamed in SQL');
    expect(await page(`${SEED_PATH}?utm_source=news`)).toContain('Renamed in SQL');
  });

  it('approving a comment on post A renews A’s page and the lists showing its count, and leaves post B’s page', async () => {
    start();
    const { a, b } = threePosts();
    const [pathA, pathB] = [pathOf(a), pathOf(b)];
    await page(pathA);
    await page(pathB);
    const homeBefore = await page('/');
    renameBehindTheCache(b, 'B renamed in SQL');
    t.services.settings.update({ requirePreviouslyApproved: true } as never);
    await page(pathA);
    await page(pathB);
    await page('/');
    renameBehindTheCache(b, 'B renamed again in SQL');

    const held = await guestComment(a, 'Komentar yang ditahan dulu');
    // Held: no reader sees it, so nothing is renewed.
    expect(await page('/')).toBe(await page('/'));
    t.services.moderation.apply('approve', held.id);

    expect(await page(pathA)).toContain('Komentar yang ditahan dulu');
    const homeAfter = await page('/');
    expect(countLabel(homeAfter, pathA)).not.toBe(countLabel(homeBefore, pathA));
    expect(countLabel(homeAfter, pathA)).toBe('1 comment');
    expect(await page(pathB)).toContain('B renamed in SQL');
    expect(await page(pathB)).not.toContain('B renamed again in SQL');
  });

  it('editing a published post renews its page, its neighbour’s and the lists, and leaves the others', async () => {
    start();
    const { a, b, c } = threePosts();
    for (const path of [pathOf(a), pathOf(b), pathOf(c), '/', '/feed/']) await page(path);
    for (const id of [a, b]) renameBehindTheCache(id, `Post ${id} renamed in SQL`);
    const author = t.services.users.findByLogin('newbie-im')!;
    const post = t.services.posts.permalinkOf(c) && t.db.prepare('SELECT id FROM posts WHERE id = ?').pluck().get(c);
    expect(post).toBe(c);
    const existing = t.services.postEditor.findForEdit(c, author, 'post');
    if (!existing || existing === 'forbidden') throw new Error('no post C');
    const form = { ...t.services.postEditor.formFor(existing), title: 'Post C, edited' };
    expect('id' in t.services.postEditor.save(form, 'post', author, existing.post)).toBe(true);

    expect(await page(pathOf(c))).toContain('Post C, edited');
    // B links to C as its next post: renewed (and so shows B's SQL title too).
    const pageB = await page(pathOf(b));
    expect(pageB).toContain('Post C, edited');
    expect(await page('/')).toContain('Post C, edited');
    expect(await page('/feed/')).toContain('Post C, edited');
    // The seed post is C's neighbour neither before nor after: still the kept page.
    expect(await page(pathOf(a))).not.toContain(`Post ${a} renamed in SQL`);
  });

  it('publishing a new post shows it at once on the kept home page and in the kept newest post’s links', async () => {
    start();
    const { b, c } = threePosts();
    await page('/');
    await page(pathOf(c));
    await page(pathOf(b));
    renameBehindTheCache(b, 'B renamed in SQL');
    addPost(t, { slug: 'post-d', title: 'Post D', publishedAt: '2026-03-01T10:00:00Z' });
    expect(await page('/')).toContain('Post D');
    expect(await page(pathOf(c))).toContain('Post D');
    expect(await page(pathOf(b))).not.toContain('B renamed in SQL');
  });

  it('a scheduled post going live shows at once on the kept home page', async () => {
    start();
    const author = t.services.users.findByLogin('newbie-im')!;
    const form = { ...t.services.postEditor.emptyForm('post'), title: 'Scheduled news', markdown: 'Soon.', status: 'scheduled', publishAt: '2026-06-01T18:00' };
    expect('id' in t.services.postEditor.save(form, 'post', author)).toBe(true);
    expect(await page('/')).not.toContain('Scheduled news');
    clock.advance(12 * 3600);
    expect(await page('/')).toContain('Scheduled news');
  });

  it('a settings change renews every page', async () => {
    start();
    await page('/');
    await page(SEED_PATH);
    t.services.settings.update({ title: 'A new site title' } as never);
    expect(await page('/')).toContain('A new site title');
    expect(await page(SEED_PATH)).toContain('A new site title');
  });

  it('renaming an author renews the pages that show their name', async () => {
    start();
    const writer = createAccount(t, 'author', 'writer@example.org', 'Writer Before');
    const id = addPost(t, { slug: 'by-the-writer', title: 'By the writer', authorId: writer.id });
    await page('/');
    await page(pathOf(id));
    const result = await t.services.users.updateProfile(writer.id, { name: 'Writer After', email: 'writer@example.org', currentPassword: '', newPassword: '', repeatPassword: '' });
    expect(result).toEqual({ passwordChanged: false });
    expect(await page('/')).toContain('Writer After');
    expect(await page(pathOf(id))).toContain('Writer After');
  });

  it('never answers a visitor with a personal cookie from the cache, nor keeps their page', async () => {
    start();
    await page(SEED_PATH);
    renameBehindTheCache(seedId(), 'Renamed in SQL');
    for (const cookie of ['comment_author=%7B%22name%22%3A%22Ani%22%7D', 'comment_pending=x', 'blog.sid=x']) {
      const res = await request(t.app).get(SEED_PATH).set('Cookie', cookie).expect(200);
      expect(res.text, cookie).toContain('Renamed in SQL');
      expect(res.headers['cache-control'], cookie).toBe('private, no-store');
    }
    // The anonymous reader still gets the kept page: the personal renders were not stored over it.
    expect(await page(SEED_PATH)).not.toContain('Renamed in SQL');
    const remembered = await request(t.app).get('/').set('Cookie', 'comment_author=%7B%22name%22%3A%22Ani%22%7D').expect(200);
    expect(remembered.headers['cache-control']).toBe('private, no-store');
    renameBehindTheCache(seedId(), 'Renamed twice in SQL');
    expect(await page('/')).toContain('Renamed twice in SQL');
  });
});

/** The bytes as they came over the wire (supertest would decode them), from a real server on 127.0.0.1. */
async function wire(path: string, acceptEncoding: string) {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return await new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      http.get({ host: '127.0.0.1', port, path, headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  } finally {
    server.close();
  }
}

/** The page cache compresses a new entry off the event loop: ask until its br body is there. */
describe('HTTP caching of anonymous pages', () => {
  it('sends no cookie, a shared-cacheable Cache-Control, a strong ETag and Last-Modified, from the cache as on a miss', async () => {
    start();
    for (const attempt of ['miss', 'hit']) {
      const res = await request(t.app).get(SEED_PATH).expect(200);
      expect(res.headers['set-cookie'], attempt).toBeUndefined();
      expect(res.headers['cache-control'], attempt).toBe('public, max-age=0, s-maxage=10, stale-while-revalidate=60');
      expect(res.headers.vary, attempt).toBe('Accept-Encoding, Cookie');
      expect(res.headers.etag, attempt).toMatch(/^"[\w-]{20,}"$/);
      expect(Date.parse(res.headers['last-modified']), attempt).not.toBeNaN();
      expect(res.headers['content-security-policy'], attempt).toBeTruthy();
    }
  });

  it('answers 304 to a matching If-None-Match, and 200 once the page changed', async () => {
    start();
    const first = await request(t.app).get(SEED_PATH).expect(200);
    const again = await request(t.app).get(SEED_PATH).set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    await request(t.app).get(SEED_PATH).set('If-None-Match', '"something-else"').expect(200);
    t.services.settings.update({ title: 'Changed' } as never);
    const changed = await request(t.app).get(SEED_PATH).set('If-None-Match', first.headers.etag).expect(200);
    expect(changed.text).toContain('Changed');
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers 304 to If-Modified-Since on a kept page', async () => {
    start();
    await page('/');
    const kept = await request(t.app).get('/').expect(200);
    // Past the second of the last change, Last-Modified tells pages apart (within it, only the ETag does).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    t.services.settings.update({ tagline: 'Fresh tagline' } as never);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await page('/');
    const fresh = await request(t.app).get('/').expect(200);
    await request(t.app).get('/').set('If-Modified-Since', fresh.headers['last-modified']).expect(304);
    expect(Date.parse(kept.headers['last-modified'])).toBeLessThan(Date.parse(fresh.headers['last-modified']));
    await request(t.app).get('/').set('If-Modified-Since', kept.headers['last-modified']).expect(200);
  });

  it('sends br and gzip bodies that decode to the identity body, on the normal path and from the cache', async () => {
    start({ PAGE_CACHE: 'off' });
    const plainOff = await wire(SEED_PATH, 'identity');
    expect(plainOff.headers['content-encoding']).toBeUndefined();
    const brOff = await wire(SEED_PATH, 'gzip, deflate, br');
    expect(brOff.headers['content-encoding']).toBe('br');
    // Compressed in one piece (src/http/compress-whole.ts), so sent with its length rather than in chunks.
    expect(Number(brOff.headers['content-length'])).toBe(brOff.body.length);
    expect(zlib.brotliDecompressSync(brOff.body).equals(plainOff.body)).toBe(true);
    const gzipOff = await wire(SEED_PATH, 'gzip');
    expect(gzipOff.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzipOff.body).equals(plainOff.body)).toBe(true);
    t.close();

    start();
    const plain = await wire(SEED_PATH, 'identity');
    const identity = await wire(SEED_PATH, 'identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(plain.body)).toBe(true);
    const br = await wire(SEED_PATH, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const gzip = await wire(SEED_PATH, 'gzip;q=1, br;q=0');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(br.headers.etag).toBe(plain.headers.etag);
  });

  it('sends a kept page compressed from the first reader on, and a page kept until a change at br’s best soon after', async () => {
    start();
    const settings = (quality: number, body: Buffer) => ({ params: {
      [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    } });
    for (const path of ['/', SEED_PATH]) {
      const plain = await wire(path, 'identity');
      // The next reader, while the strongest compression may still be running: compressed at once (on a loaded
      // machine the strongest may be done by then, so either body will do).
      const first = await wire(path, 'br');
      expect(first.headers['content-encoding'], path).toBe('br');
      expect(zlib.brotliDecompressSync(first.body).equals(plain.body), path).toBe(true);
      const gzip = await wire(path, 'gzip');
      expect(gzip.headers['content-encoding'], path).toBe('gzip');
      expect(zlib.gunzipSync(gzip.body).equals(plain.body), path).toBe(true);
    }
    // The home page lives until a change: once zlib is done, readers get its strongest body.
    const plain = await wire('/', 'identity');
    const best = zlib.brotliCompressSync(plain.body, settings(zlib.constants.BROTLI_MAX_QUALITY, plain.body));
    let strongest = false;
    for (let tries = 0; tries < 100 && !strongest; tries++) {
      strongest = (await wire('/', 'br')).body.equals(best);
      if (!strongest) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(strongest).toBe(true);
    // The post page is made again with its next form token within seconds: its quick body is the one it keeps.
    const post = await wire(SEED_PATH, 'identity');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await wire(SEED_PATH, 'br')).body.equals(zlib.brotliCompressSync(post.body, settings(5, post.body)))).toBe(true);
  });

  it('keeps private, no-store on every page with per-visitor state', async () => {
    start();
    const agent = request.agent(t.app);
    const form = formFields(await page(SEED_PATH));
    clock.advance(30);
    await agent.post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ ...form, author: 'Ani', email: 'ani@example.org', comment: 'Ingat saya', remember: 'yes' }).expect(303);
    for (const path of ['/', SEED_PATH, '/category/life-style/', '/?s=imers']) {
      const res = await agent.get(path);
      expect(res.headers['cache-control'], path).toBe('private, no-store');
    }
  });
});

describe('the comment form token', () => {
  it('is the same for every reader within its window, so the page is too', async () => {
    start({ PAGE_CACHE: 'off' });
    const first = await page(SEED_PATH);
    clock.advance(1);
    expect(formFields(await page(SEED_PATH)).form_token).toBe(formFields(first).form_token);
  });

  it('holds a comment whose token was made for another post, or is older than a day', async () => {
    start();
    const { a, b } = threePosts();
    const post = (postId: number, token: string, text: string) =>
      request(t.app).post('/comments/').set('Sec-Fetch-Site', 'same-origin').type('form')
        .send({ post_id: String(postId), parent_id: '0', author: 'Ani', email: `${text.length}@example.org`, comment: text, hp: '', form_token: token });
    const tokenOfA = formFields(await page(pathOf(a))).form_token;
    clock.advance(30);
    await post(a, tokenOfA, 'On the right post').expect(303);
    clock.advance(30);
    await post(b, tokenOfA, 'With the token of another post').expect(303);
    clock.advance(25 * 3600);
    await post(a, tokenOfA, 'A day and more later').expect(303);
    const statuses = t.db.prepare('SELECT body_html, status FROM comments ORDER BY id').all();
    expect(statuses).toEqual([
      { body_html: '<p>On the right post</p>', status: 'approved' },
      { body_html: '<p>With the token of another post</p>', status: 'pending' },
      { body_html: '<p>A day and more later</p>', status: 'pending' },
    ]);
  });
});
