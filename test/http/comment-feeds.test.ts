import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { adminAgent, editor } from '../support/admin.js';
import { manualClock, submitComment } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
const asArray = <T>(v: T | T[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
type Item = { title: string; link: string; 'dc:creator': string; 'content:encoded': string };

async function rssItems(path: string): Promise<{ title: string; items: Item[] }> {
  const res = await request(t.app).get(path).expect(200);
  expect(res.type).toBe('application/rss+xml');
  expect(XMLValidator.validate(res.text)).toBe(true);
  const channel = parser.parse(res.text).rss.channel;
  return { title: channel.title, items: asArray(channel.item) };
}

/** A guest's comment through the form, approved by the moderator; its id. */
async function approvedComment(clock: ReturnType<typeof manualClock>, comment: string, path = SEED_PATH) {
  // A minute apart, past the flood limit.
  const posted = await submitComment(t, clock, { comment }, { path, wait: 60 });
  const id = Number(/#comment-(\d+)$/.exec(posted.headers.location)![1]);
  t.services.moderation.apply('approve', id);
  return id;
}

describe('the comments feed, /comments/feed/', () => {
  it('lists approved comments newest first, with their post, author and link, and shows a new approval at once', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    expect((await rssItems('/comments/feed/')).items).toEqual([]);

    const held = await submitComment(t, clock, { comment: 'Masih menunggu moderasi.', author: 'Budi', email: 'budi@example.org' });
    expect(held.status).toBe(303);
    const first = await approvedComment(clock, 'Komentar pertama yang disetujui.');
    clock.advance(60);
    const second = await approvedComment(clock, 'Komentar kedua, lebih baru.');

    const { title, items } = await rssItems('/comments/feed/');
    expect(title).toBe('Comments for IMers Blog');
    expect(items.map((i) => i.link)).toEqual([`http://blog.test${SEED_PATH}#comment-${second}`, `http://blog.test${SEED_PATH}#comment-${first}`]);
    expect(items[0].title).toBe('Comment on Trend life style: menjadi pasangan\u00a0IMers by Ani');
    expect(items[0]['dc:creator']).toBe('Ani');
    expect(items[0]['content:encoded']).toBe('<p>Komentar kedua, lebih baru.</p>');
    expect(JSON.stringify(items)).not.toContain('Masih menunggu');

    const atom = await request(t.app).get('/comments/feed/atom/').expect(200);
    expect(atom.type).toBe('application/atom+xml');
    expect(XMLValidator.validate(atom.text)).toBe(true);
    expect(asArray(parser.parse(atom.text).feed.entry)).toHaveLength(2);

    const home = (await request(t.app).get('/').expect(200)).text;
    expect(home).toContain('<link rel="alternate" type="application/rss+xml" title="IMers Blog » Comments Feed" href="http://blog.test/comments/feed/">');
  });

  it('orders by the comments\' dates, not the order they were stored in (an import stores a post\'s old comments last)', async () => {
    t = makeTestApp();
    const insert = t.db.prepare(`INSERT INTO comments (post_id, status, author_name, body_html, created_at) VALUES (1, 'approved', ?, '<p>x</p>', ?)`);
    insert.run('Baru', '2026-01-01T00:00:00.000Z');
    insert.run('Lama', '2016-05-13T00:00:00.000Z');
    expect((await rssItems('/comments/feed/')).items.map((i) => i['dc:creator'])).toEqual(['Baru', 'Lama']);
  });

  it('leaves out the comments of a post behind a password, and of one no longer published', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    await approvedComment(clock, 'Di pos yang terbuka.');
    const hidden = addPost(t, { slug: 'rahasia', title: 'Rahasia' });
    t.db.prepare("UPDATE posts SET password = 'kunci-rahasia' WHERE id = ?").run(hidden);
    const draft = addPost(t, { slug: 'ditarik', title: 'Ditarik' });
    const insert = t.db.prepare(`INSERT INTO comments (post_id, status, author_name, body_html) VALUES (?, 'approved', 'Tamu', '<p>tersembunyi</p>')`);
    insert.run(hidden);
    insert.run(draft);
    t.db.prepare("UPDATE posts SET status = 'draft' WHERE id = ?").run(draft);
    const { items } = await rssItems('/comments/feed/');
    expect(items.map((i) => i['content:encoded'])).toEqual(['<p>Di pos yang terbuka.</p>']);
  });
});

describe('a post\'s comments feed, <permalink>/feed/', () => {
  it('lists that post\'s approved comments only, and is offered in the post page\'s head', async () => {
    const clock = manualClock();
    t = makeTestApp({ now: clock.now });
    addPost(t, { slug: 'lain', title: 'Pos lain', publishedAt: '2026-05-01T00:00:00Z' });
    const other = (await request(t.app).get('/2026/05/01/lain/').expect(200)).text;
    expect(other).toContain('<link rel="alternate" type="application/rss+xml" title="IMers Blog » Pos lain Comments Feed" href="http://blog.test/2026/05/01/lain/feed/">');
    await approvedComment(clock, 'Untuk pos lain.', '/2026/05/01/lain/');
    const mine = await approvedComment(clock, 'Untuk artikel IMers.');

    const { title, items } = await rssItems(`${SEED_PATH}feed/`);
    expect(title).toBe('Comments on: Trend life style: menjadi pasangan\u00a0IMers');
    expect(items.map((i) => [i.title, i.link])).toEqual([['By: Ani', `http://blog.test${SEED_PATH}#comment-${mine}`]]);
    await request(t.app).get(`${SEED_PATH}feed/atom/`).expect(200).expect('Content-Type', /atom/);
    // A wrong date answers with the right feed's address, as the post's page does; an unknown post is a 404.
    await request(t.app).get('/2016/05/13/trend-life-style-menjadi-pasangan-imers/feed/').expect(301).expect('Location', `${SEED_PATH}feed/`);
    await request(t.app).get('/2016/05/12/tidak-ada/feed/').expect(404);
  });

  it('follows its post when the post is renamed: the old feed answers 301 to the new', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const id = addPost(t, { slug: 'nama-lama', title: 'Nama lama', publishedAt: '2026-05-01T00:00:00Z' });
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({
      _csrf: csrf, title: 'Nama lama', slug: 'nama-baru', status: 'published', markdown: 'Isi.', publish_at: '2026-05-01T07:00',
    })).expect(303);
    await request(t.app).get('/2026/05/01/nama-baru/feed/').expect(200);
    await request(t.app).get('/2026/05/01/nama-lama/feed/').expect(301).expect('Location', '/2026/05/01/nama-baru/feed/');
    await request(t.app).get('/2026/05/01/nama-lama/feed/atom/').expect(301).expect('Location', '/2026/05/01/nama-baru/feed/atom/');
  });

  it('is not there for a post behind a password, nor offered on its page', async () => {
    t = makeTestApp();
    const hidden = addPost(t, { slug: 'rahasia', title: 'Rahasia', publishedAt: '2026-05-01T00:00:00Z' });
    t.db.prepare("UPDATE posts SET password = 'kunci-rahasia' WHERE id = ?").run(hidden);
    await request(t.app).get('/2026/05/01/rahasia/feed/').expect(404);
    expect((await request(t.app).get('/2026/05/01/rahasia/').expect(200)).text).not.toContain('/2026/05/01/rahasia/feed/');
  });
});

describe('WordPress\'s other feed addresses', () => {
  it('answers the older names of its feeds and ?feed= with a 301 to the feed, and a 404 for a feed it does not know', async () => {
    t = makeTestApp();
    const moved: [string, string][] = [
      ['/feed/rss2/', '/feed/'], ['/feed/rdf/', '/feed/'], ['/comments/feed/rss2/', '/comments/feed/'],
      ['/category/life-style/feed/rss/', '/category/life-style/feed/'], [`${SEED_PATH}feed/rss2/`, `${SEED_PATH}feed/`],
      ['/?feed=rss2', '/feed/'], ['/?feed=atom', '/feed/atom/'], ['/?feed=comments-rss2', '/comments/feed/'],
      ['/?feed=comments-atom', '/comments/feed/atom/'], ['/?feed=', '/feed/'],
    ];
    // However the old name is encoded.
    moved.push(['/feed/%72ss2/', '/feed/'], ['/category/life-style/feed/%72df/', '/category/life-style/feed/']);
    for (const [from, to] of moved) await request(t.app).get(from).expect(301).expect('Location', to);
    // Date archives and pages have no feeds here.
    for (const path of ['/?feed=bogus', '/?feed=__proto__', '/?feed=constructor', '/feed/json/', '/?m=2016&feed=rss2', '/?page_id=2&feed=rss2']) {
      await request(t.app).get(path).expect(404);
    }
  });

  it('gives an author\'s posts a feed, offered on the author\'s archive', async () => {
    t = makeTestApp();
    const { title, items } = await rssItems('/author/newbie-im/feed/');
    expect(title).toMatch(/^IMers Blog » /);
    expect(items.map((i) => i.title)).toEqual(['Trend life style: menjadi pasangan\u00a0IMers']);
    const archive = (await request(t.app).get('/author/newbie-im/').expect(200)).text;
    expect(archive).toContain('href="http://blog.test/author/newbie-im/feed/"');
    await request(t.app).get('/author/nobody/feed/').expect(404);
  });
});
