import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';

let t: TestApp;
afterEach(() => t?.close());

describe('scheduled posts', () => {
  it('stay hidden until their time, then publish by themselves', async () => {
    const clock = manualClock('2026-06-01T10:00:00Z');
    t = makeTestApp({ now: clock.now });
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, title: 'Besok pagi', status: 'scheduled', publish_at: '2026-06-02T08:00', markdown: 'Terbit sendiri.' }));
    expect((await agent.get(res.headers.location)).text).toContain('Post scheduled for ');
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

  it('take the date typed as the error message shows it, with a space, as well as the date field\'s own form', async () => {
    t = makeTestApp({ now: manualClock('2026-06-01T10:00:00Z').now });
    const { agent, csrf } = await adminAgent(t);
    const wrong = await agent.post('/admin/posts/new/').type('form')
      .send(editor({ _csrf: csrf, title: 'Nanti', status: 'published', publish_at: 'besok pagi' }));
    expect(wrong.status).toBe(422);
    const example = /like (\d{4}-\d{2}-\d{2} \d{2}:\d{2})\./.exec(wrong.text)![1];
    for (const [title, typed] of [['Nanti', example], ['Nanti juga', '2026-12-24 09:00:30']]) {
      const res = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title, status: 'published', publish_at: typed }));
      expect(res.status).toBe(303);
      expect(res.headers.location).toContain('done=scheduled');
    }
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
    // Unpublished (Switch to draft), its old links lead nowhere.
    await agent.post(`/admin/posts/${id}/unpublish/`).type('form').send({ _csrf: csrf });
    expect((await request(t.app).get('/2026/03/10/nama-baru/')).status).toBe(404);
    expect((await request(t.app).get('/2026/04/01/nama-baru/')).status).toBe(404);
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

  it('are renamed when their slug is the address of the health check, subscriptions or the Fediverse', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    for (const slug of ['healthz', 'subscriptions', 'fediverse', 'nodeinfo', 'post-password']) {
      await agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: csrf, title: `Page ${slug}`, slug, status: 'published', markdown: `About ${slug}.` })).expect(303);
      const page = await request(t.app).get(`/${slug}-page/`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`About ${slug}.`);
    }
    expect((await request(t.app).get('/healthz')).headers['content-type']).toContain('json');
  });
});
