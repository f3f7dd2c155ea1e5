import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, logIn, createAccount } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

const editor = (fields: Record<string, string | string[]>) => ({ status: 'draft', title: '', markdown: '', ...fields });
const idFrom = (location: string) => Number(/\/(\d+)\/edit\//.exec(location)?.[1]);

describe('writing a post', () => {
  it('publishes a Markdown post that shows at once on its page, the home page, the feed and the sitemap', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.get('/admin/posts/new/')).text).toContain('name="markdown"');
    const res = await agent.post('/admin/posts/new/').type('form').send(editor({
      _csrf: csrf, title: 'Ça déjà vu: Jalan-Jalan ke Bandung', status: 'published', excerpt: 'Catatan perjalanan singkat.',
      markdown: '## Hari pertama\n\nKami naik [kereta](https://kai.id/) pagi.', new_categories: 'Perjalanan, Kuliner', tags: 'bandung, kereta api',
      comments_open: 'on',
    }));
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/admin\/posts\/\d+\/edit\/\?done=published$/);
    const edit = await agent.get(res.headers.location);
    expect(edit.text).toContain('Published.');
    const permalink = /Permalink: <a href="([^"]+)"/.exec(edit.text)![1];
    expect(permalink).toMatch(/^\/\d{4}\/\d{2}\/\d{2}\/ca-deja-vu-jalan-jalan-ke-bandung\/$/);

    const page = await request(t.app).get(permalink);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Hari pertama</h2>');
    expect(page.text).toContain('<a href="https://kai.id/">kereta</a>');
    expect(page.text).toContain('href="/category/perjalanan/"');
    expect(page.text).toContain('href="/tag/kereta-api/"');
    expect(page.text).toContain('id="commentform"');
    const home = await request(t.app).get('/');
    expect(home.text).toContain('Ça déjà vu: Jalan-Jalan ke Bandung');
    expect(home.text).toContain('Catatan perjalanan singkat.');
    expect((await request(t.app).get('/feed/')).text).toContain('Ça déjà vu: Jalan-Jalan ke Bandung');
    expect((await request(t.app).get('/sitemap.xml')).text).toContain(`http://blog.test${permalink}`);
    expect((await request(t.app).get('/category/kuliner/')).text).toContain('Jalan-Jalan ke Bandung');
  });

  it('keeps a draft private: 404 for readers, shown through its preview link', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Rahasia dapur', markdown: 'Belum *siap*.' }));
    const edit = await agent.get(res.headers.location);
    const preview = /href="(\/p\/[0-9a-f]{32}\/)"/.exec(edit.text)![1];
    expect((await request(t.app).get('/rahasia-dapur/')).status).toBe(404);
    expect((await request(t.app).get('/')).text).not.toContain('Rahasia dapur');
    expect((await request(t.app).get('/feed/')).text).not.toContain('Rahasia dapur');
    expect((await request(t.app).get('/?s=rahasia')).text).not.toContain('Rahasia dapur');
    const shown = await request(t.app).get(preview);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Belum <em>siap</em>.');
    expect(shown.text).toContain('<meta name="robots" content="noindex">');
    expect(shown.headers['cache-control']).toBe('private, no-store');
    expect((await request(t.app).get('/p/00000000000000000000000000000000/')).status).toBe(404);
    expect((await request(t.app).get('/p/not-a-key/')).status).toBe(404);
  });

  it('previews with the Preview button without saving, keeping the text, and live-previews as JSON', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, intent: 'preview', title: 'Coba', markdown: '# Judul\n\n<script>alert(1)</script>[x](javascript:alert(1))' }));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Judul</h1>');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;'); // kept in the textarea
    expect(res.text).toContain('value="Coba"');
    expect(t.services.postEditor.list({ type: 'post', status: 'draft' }, 1)!.total).toBe(0);
    const live = await agent.post('/admin/preview/').type('form').send({ _csrf: csrf, markdown: '**bold** <img src=x onerror=alert(1)>' });
    expect(live.body.html).toContain('<strong>bold</strong>');
    expect(live.body.html).not.toContain('onerror');
  });

  it('makes slugs unique and lets the author edit them', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const first = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Trend Life Style: Menjadi Pasangan IMers' }));
    const edit = await agent.get(first.headers.location);
    expect(edit.text).toContain('value="trend-life-style-menjadi-pasangan-imers-2"');
    const custom = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Another', slug: '  Mein  Größter Tag ' }));
    expect((await agent.get(custom.headers.location)).text).toContain('value="mein-groesster-tag"');
    const bad = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Emoji', slug: '🙂🙂' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Use letters or digits in the slug.');
  });

  it('shows the form again with the text kept and each problem named', async () => {
    t = makeTestApp({ now: manualClock('2026-06-01T10:00:00Z').now });
    const { agent, csrf } = await adminAgent(t);
    const noTitle = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, markdown: 'Teks yang *panjang* sekali.' }));
    expect(noTitle.status).toBe(422);
    expect(noTitle.text).toContain('Enter a title.');
    expect(noTitle.text).toContain('Teks yang *panjang* sekali.');
    const past = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Nanti', status: 'scheduled', publish_at: '2020-01-01T09:00' }));
    expect(past.status).toBe(422);
    expect(past.text).toContain('choose a date and time in the future');
    const garbled = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Nanti', status: 'published', publish_at: 'next tuesday' }));
    expect(garbled.status).toBe(422);
    expect(garbled.text).toContain('Enter a date and time');
    const weird = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, title: ['a', 'b'], status: 'deleted', markdown: 'x' });
    expect(weird.status).toBe(422);
    expect(t.services.postEditor.countByStatus('post').draft).toBe(0);
  });
});

describe('scheduled posts', () => {
  it('stay hidden until their time, then publish by themselves', async () => {
    const clock = manualClock('2026-06-01T10:00:00Z');
    t = makeTestApp({ now: clock.now });
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, title: 'Besok pagi', status: 'scheduled', publish_at: '2026-06-02T08:00', markdown: 'Terbit sendiri.' }));
    expect((await agent.get(res.headers.location)).text).toContain('Scheduled.');
    expect((await agent.get('/admin/posts/?status=scheduled')).text).toContain('Besok pagi');
    expect((await request(t.app).get('/2026/06/02/besok-pagi/')).status).toBe(404);
    expect((await request(t.app).get('/')).text).not.toContain('Besok pagi');

    clock.advance(22 * 3600 - 1); // 07:59:59
    expect((await request(t.app).get('/2026/06/02/besok-pagi/')).status).toBe(404);
    clock.advance(1);
    const page = await request(t.app).get('/2026/06/02/besok-pagi/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Terbit sendiri.');
    expect((await request(t.app).get('/')).text).toContain('Besok pagi');
    expect((await request(t.app).get('/feed/')).text).toContain('Besok pagi');
    // Feeds and the sitemap see it as new: modified when it was published.
    expect(t.db.prepare("SELECT updated_at = published_at FROM posts WHERE slug = 'besok-pagi'").pluck().get()).toBe(1);
  });

  it('schedule a post saved as Published with a future date, as WordPress does', async () => {
    t = makeTestApp({ now: manualClock('2026-06-01T10:00:00Z').now });
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, title: 'Lusa', status: 'published', publish_at: '2026-06-03T10:00' }));
    expect(res.headers.location).toContain('done=scheduled');
  });
});

describe('changing a published post', () => {
  it('keeps the old permalink working with a 301 after the slug or the date changes', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const id = Number(addPost(t, { slug: 'nama-lama', title: 'Nama lama', publishedAt: '2026-03-10T05:00:00Z' }));
    const base = { _csrf: csrf, title: 'Nama baru', status: 'published', markdown: 'Isi.', comments_open: 'on' };
    const renamed = await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ ...base, slug: 'nama-baru', publish_at: '2026-03-10T05:00' });
    expect(renamed.status).toBe(303);
    const old = await request(t.app).get('/2026/03/10/nama-lama/');
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe('/2026/03/10/nama-baru/');
    expect((await request(t.app).get('/2026/03/10/nama-baru/')).text).toContain('Nama baru');

    await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ ...base, slug: 'nama-baru', publish_at: '2026-04-01T09:30' });
    for (const path of ['/2026/03/10/nama-lama/', '/2026/03/10/nama-baru/']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(301);
      expect(res.headers.location).toBe('/2026/04/01/nama-baru/');
    }
    // A new post may take the freed slug; the old dated link still leads to the renamed post.
    const newer = await agent.post('/admin/posts/new/').type('form').send({ ...base, title: 'Nama lama', slug: 'nama-lama', publish_at: '2026-05-05T10:00' });
    expect(newer.status).toBe(303);
    expect((await request(t.app).get('/2026/03/10/nama-lama/')).headers.location).toBe('/2026/04/01/nama-baru/');
    expect((await request(t.app).get('/2026/05/05/nama-lama/')).status).toBe(200);
    // Unpublished, its old links lead nowhere.
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ ...base, slug: 'nama-baru', status: 'draft' });
    expect((await request(t.app).get('/2026/03/10/nama-baru/')).status).toBe(404);
    expect((await request(t.app).get('/2026/04/01/nama-baru/')).status).toBe(404);
  });
});

describe('saving again', () => {
  it('keeps the exact publication time when the date field is left as it was', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const id = Number(addPost(t, { slug: 'tepat', title: 'Tepat', publishedAt: '2026-03-10T05:00:30.000Z' }));
    const form = (await agent.get(`/admin/posts/${id}/edit/`)).text;
    expect(form).toContain('value="2026-03-10T05:00"');
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ _csrf: csrf, title: 'Tepat sekali', status: 'published', markdown: 'x', publish_at: '2026-03-10T05:00' });
    expect(t.db.prepare('SELECT published_at FROM posts WHERE id = ?').pluck().get(id)).toBe('2026-03-10T05:00:30.000Z');
  });

  it('takes only a full date and time in the publish field', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    for (const publish_at of ['10:00', '2026-W05-3', '+010000-01-01T00:00', '2026-02-30T10:00']) {
      const res = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Tanggal aneh', status: 'published', publish_at }));
      expect([publish_at, res.status]).toEqual([publish_at, 422]);
    }
    const seconds = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Detik', status: 'published', publish_at: '2026-01-02T03:04:05' }));
    expect(seconds.status).toBe(303);
  });
});

describe('posts list', () => {
  it('lists every post with status, author and comment count; filters, searches and pages', async () => {
    t = makeTestApp();
    const { agent, user } = await adminAgent(t);
    for (let i = 1; i <= 22; i++) addPost(t, { slug: `catatan-${i}`, title: `Catatan ${i}`, publishedAt: `2026-01-${String(i).padStart(2, '0')}T10:00:00Z` });
    addPost(t, { slug: 'konsep', title: 'Konsep tulisan', status: 'draft', authorId: user.id });
    const all = await agent.get('/admin/posts/');
    expect(all.text).toContain('All <span class="count">(24)</span>');
    expect(all.text).toContain('Drafts <span class="count">(1)</span>');
    expect(all.text).toContain('Page 1 of 2');
    expect(all.text).toContain('Newbie IM');
    const drafts = await agent.get('/admin/posts/?status=draft');
    expect(drafts.text).toContain('Konsep tulisan');
    expect(drafts.text).not.toContain('Catatan 1<');
    const found = await agent.get('/admin/posts/?s=catatan%201');
    expect(found.text).toContain('Catatan 12');
    expect(found.text).not.toContain('Catatan 2<');
    expect((await agent.get('/admin/posts/?paged=2')).text).toContain('Page 2 of 2');
    expect((await agent.get('/admin/posts/?paged=9')).status).toBe(404);
    expect((await agent.get('/admin/posts/?status=bogus&s[]=x')).status).toBe(200);
    expect((await agent.get('/admin/posts/?s=100%25_')).status).toBe(200);
  });

  it('moves several posts to the trash at once, and readers lose them', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const a = addPost(t, { slug: 'satu', publishedAt: '2026-01-01T10:00:00Z' });
    const b = addPost(t, { slug: 'dua', publishedAt: '2026-01-02T10:00:00Z' });
    const res = await agent.post('/admin/posts/bulk/').type('form').send(`_csrf=${csrf}&action=trash&ids=${a}&ids=${b}&ids=abc&ids=999999`);
    expect(res.status).toBe(303);
    expect((await agent.get(res.headers.location)).text).toContain('Moved to the Trash.');
    expect((await request(t.app).get('/2026/01/01/satu/')).status).toBe(404);
    expect((await agent.get('/admin/posts/?status=trash')).text).toContain('Trash <span class="count">(2)</span>');
  });
});

describe('trash, restore and delete', () => {
  it('restores as a draft, and deletes permanently with its comments after asking', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const id = Number(addPost(t, { slug: 'fana', publishedAt: '2026-01-01T10:00:00Z' }));
    t.db.prepare("INSERT INTO comments (post_id, status, author_name, body_html) VALUES (?, 'approved', 'Budi', '<p>Hai</p>')").run(id);
    expect((await agent.post(`/admin/posts/${id}/trash/`).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect((await request(t.app).get('/2026/01/01/fana/')).status).toBe(404);
    await agent.post(`/admin/posts/${id}/restore/`).type('form').send({ _csrf: csrf });
    expect((await agent.get('/admin/posts/?status=draft')).text).toContain('fana');
    expect((await agent.get(`/admin/posts/${id}/delete/`)).status).toBe(404); // only from the trash
    expect((await agent.post(`/admin/posts/${id}/restore/`).type('form').send({ _csrf: csrf })).status).toBe(409);
    await agent.post(`/admin/posts/${id}/trash/`).type('form').send({ _csrf: csrf });
    // What is in the trash is restored before it is edited (as WordPress).
    expect((await agent.get(`/admin/posts/${id}/edit/`)).status).toBe(409);
    expect((await agent.post(`/admin/posts/${id}/edit/`).type('form').send({ _csrf: csrf, title: 'x', status: 'published', markdown: 'x' })).status).toBe(409);
    const confirm = await agent.get(`/admin/posts/${id}/delete/`);
    expect(confirm.text).toContain('This cannot be undone.');
    expect(confirm.text).toContain('with its 1 comment');
    expect((await agent.post(`/admin/posts/${id}/delete/`).type('form').send({ _csrf: csrf })).status).toBe(303);
    expect(t.db.prepare('SELECT count(*) FROM comments WHERE post_id = ?').pluck().get(id)).toBe(0);
    expect(t.db.prepare('SELECT count(*) FROM posts WHERE id = ?').pluck().get(id)).toBe(0);
  });
});

describe('static pages', () => {
  it('get the same editor and live at /slug/; a slug the blog uses itself is changed', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const about = await agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: csrf, title: 'Tentang Saya', status: 'published', markdown: 'Halo, saya **Ayu**.' }));
    expect(about.status).toBe(303);
    const page = await request(t.app).get('/tentang-saya/');
    expect(page.text).toContain('Halo, saya <strong>Ayu</strong>.');
    expect((await agent.get('/admin/pages/')).text).toContain('Tentang Saya');
    expect((await agent.get('/admin/posts/')).text).not.toContain('Tentang Saya');
    await agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: csrf, title: 'Feed', status: 'published' }));
    expect((await request(t.app).get('/feed-page/')).status).toBe(200);
    expect((await request(t.app).get('/feed/')).headers['content-type']).toContain('xml');
  });
});

describe('who may do what', () => {
  it('lets an author write and publish their own posts but not touch anyone else\'s', async () => {
    t = makeTestApp();
    const admin = await adminAgent(t, 'administrator');
    const draft = await admin.agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: admin.csrf, title: 'Draf admin rahasia' }));
    const adminPostId = idFrom(draft.headers.location);
    const author = await adminAgent(t, 'author');
    const list = await author.agent.get('/admin/posts/');
    expect(list.text).not.toContain('Draf admin rahasia');
    expect(list.text).not.toContain('Trend Life Style');
    expect((await author.agent.get(`/admin/posts/${adminPostId}/edit/`)).status).toBe(403);
    expect((await author.agent.post(`/admin/posts/${adminPostId}/edit/`).type('form').send(editor({ _csrf: author.csrf, title: 'Hacked' }))).status).toBe(403);
    expect((await author.agent.post(`/admin/posts/${adminPostId}/trash/`).type('form').send({ _csrf: author.csrf })).status).toBe(403);
    await author.agent.post('/admin/posts/bulk/').type('form').send({ _csrf: author.csrf, action: 'trash', ids: String(adminPostId) });
    expect(t.services.postEditor.countByStatus('post').draft).toBe(1);

    expect((await author.agent.get('/admin/pages/')).status).toBe(403);
    expect((await author.agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: author.csrf, title: 'Kontak', status: 'published' }))).status).toBe(403);
    expect((await request(t.app).get('/kontak/')).status).toBe(404);
    expect((await author.agent.get('/admin/posts/new/')).text).not.toContain('name="new_categories"');
    const own = await author.agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: author.csrf, title: 'Tulisan penulis', status: 'published', categories: 'life-style', new_categories: 'Kategori Baru' }));
    expect(own.headers.location).toContain('done=published');
    expect((await request(t.app).get('/')).text).toContain('Tulisan penulis');
    expect((await admin.agent.get('/admin/posts/')).text).toContain('Tulisan penulis');
    expect((await request(t.app).get('/category/life-style/')).text).toContain('Tulisan penulis');
    expect((await request(t.app).get('/category/kategori-baru/')).status).toBe(404);
  });

  it('refuses anonymous visitors and changes without the session token', async () => {
    t = makeTestApp();
    const anon = await request(t.app).get('/admin/posts/new/');
    expect(anon.status).toBe(303);
    expect(anon.headers.location).toContain('/admin/login/');
    expect((await request(t.app).post('/admin/posts/new/').type('form').send(editor({ title: 'x' }))).status).toBe(403);
    const { agent } = await adminAgent(t);
    expect((await agent.post('/admin/posts/new/').type('form').send(editor({ title: 'No token' }))).status).toBe(403);
    expect((await agent.post('/admin/posts/bulk/').type('form').send({ action: 'trash', ids: '1' })).status).toBe(403);
    expect(t.services.postEditor.countByStatus('post').published).toBe(1);
    expect((await agent.get('/admin/posts/abc/edit/')).status).toBe(404);
    expect((await agent.get('/admin/posts/99999/edit/')).status).toBe(404);
    expect((await request(t.app).get(SEED_PATH)).status).toBe(200);
  });

  it('opens the same session for two accounts one after the other without mixing them', async () => {
    t = makeTestApp();
    createAccount(t, 'author', 'penulis@example.org');
    const { agent } = await logIn(t, 'penulis@example.org');
    expect((await agent.get('/admin/')).text).toContain('(author)');
  });
});
