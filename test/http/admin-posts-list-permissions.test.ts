import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, logIn, createAccount, editor } from '../support/admin.js';
import { addPost, makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const idFrom = (location: string) => Number(/\/(\d+)\/edit\//.exec(location)?.[1]);

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
