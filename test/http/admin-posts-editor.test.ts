import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

describe('writing a post', () => {
  it('keeps categories and tags named in scripts it cannot spell in Latin letters, at WordPress\'s percent-encoded address', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/new/').type('form').send(editor({
      _csrf: csrf, title: 'Makan di Tokyo', status: 'published', markdown: 'Sushi.', new_categories: '日本', tags: '東京, 🍣, ไทย, kopi',
    }));
    expect(res.status).toBe(303);
    const permalink = /Permalink: <a href="([^"]+)"/.exec((await agent.get(res.headers.location)).text)![1];
    const page = (await request(t.app).get(permalink)).text;
    const addresses = ['/category/%e6%97%a5%e6%9c%ac/', '/tag/%e6%9d%b1%e4%ba%ac/', '/tag/%f0%9f%8d%a3/', '/tag/%e0%b9%84%e0%b8%97%e0%b8%a2/', '/tag/kopi/'];
    for (const address of addresses) {
      expect(page).toContain(`href="${address}"`);
      expect((await request(t.app).get(address).expect(200)).text).toContain('Makan di Tokyo');
    }
    // A browser encodes in capitals; the archive and its feed answer either way.
    expect((await request(t.app).get('/tag/%E6%9D%B1%E4%BA%AC/').expect(200)).text).toContain('東京');
    expect((await request(t.app).get('/tag/%e6%9d%b1%e4%ba%ac/feed/').expect(200)).text).toContain('Makan di Tokyo');
    expect((await request(t.app).get('/?tag=%E6%9D%B1%E4%BA%AC').expect(301)).headers.location).toBe('/tag/%e6%9d%b1%e4%ba%ac/');
  });

  it('gives a post and a page titled in a script it cannot spell in Latin letters WordPress\'s percent-encoded address', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const saved = await agent.post('/admin/posts/new/').type('form').send(editor({
      _csrf: csrf, title: '2026年东京旅行', status: 'published', markdown: 'Hari pertama di Tokyo.',
    }));
    const edit = (await agent.get(saved.headers.location)).text;
    const permalink = /Permalink: <a href="([^"]+)"/.exec(edit)![1];
    expect(permalink).toMatch(/^\/\d{4}\/\d{2}\/\d{2}\/2026%e5%b9%b4%e4%b8%9c%e4%ba%ac%e6%97%85%e8%a1%8c\/$/);
    expect((await request(t.app).get(permalink).expect(200)).text).toContain('Hari pertama di Tokyo.');
    // A browser encodes in capitals.
    await request(t.app).get(permalink.replace(/%[0-9a-f]{2}/g, (escape) => escape.toUpperCase())).expect(200);
    expect(edit).toContain('name="slug" type="text" value="2026年东京旅行"');
    expect(edit).toContain(`${permalink.replace(/[^/]+\/$/, '')}2026年东京旅行/</a>`);

    // Saved again as shown, the address stays; renamed, the old one answers 301 to the new, however it is encoded.
    const id = /\/admin\/posts\/(\d+)\//.exec(saved.headers.location)![1];
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({
      _csrf: csrf, title: '2026年东京旅行', slug: '2026年东京旅行', status: 'published', markdown: 'Hari pertama di Tokyo.',
    })).expect(303);
    await request(t.app).get(permalink).expect(200);
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({
      _csrf: csrf, title: '2026年东京旅行', slug: '大阪', status: 'published', markdown: 'Hari pertama di Tokyo.',
    })).expect(303);
    const renamed = permalink.replace(/[^/]+\/$/, '%e5%a4%a7%e9%98%aa/');
    await request(t.app).get(renamed).expect(200);
    await request(t.app).get(permalink).expect(301).expect('Location', renamed);
    await request(t.app).get(permalink.toUpperCase()).expect(301).expect('Location', renamed);

    const page = await agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: csrf, title: '关于我们', status: 'published', markdown: 'Tentang kami.' }));
    expect(page.status).toBe(303);
    expect((await request(t.app).get('/%e5%85%b3%e4%ba%8e%e6%88%91%e4%bb%ac/').expect(200)).text).toContain('Tentang kami.');
    // An address whose % was itself encoded (%25) names no slug, as in WordPress.
    await request(t.app).get('/%25e5%2585%25b3%25e4%25ba%258e%25e6%2588%2591%25e4%25bb%25ac/').expect(404);
    await request(t.app).get(renamed.replace(/%/g, '%25')).expect(404);
  });

  it('keeps a tag typed by the name it has, whatever slug the blog would make of that name now', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    // Saved before posts kept Japanese in slugs: "Tokyo 東京" got "tokyo".
    const id = addPost(t, { slug: 'ramen', title: 'Ramen', tags: [{ slug: 'tokyo', name: 'Tokyo 東京' }] });
    await agent.post(`/admin/posts/${id}/edit/`).type('form').send(editor({
      _csrf: csrf, title: 'Ramen', slug: 'ramen', status: 'published', markdown: 'Enak.', tags: 'tokyo 東京',
    })).expect(303);
    expect(t.db.prepare("SELECT slug FROM terms WHERE taxonomy = 'tag' AND name LIKE 'tokyo%'").pluck().all()).toEqual(['tokyo']);
    expect((await request(t.app).get('/tag/tokyo/').expect(200)).text).toContain('Ramen');
  });

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
    expect(edit.text).toContain('Post published. <a href=');
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
    const bad = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Tanda baca', slug: '!!! ???' }));
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
