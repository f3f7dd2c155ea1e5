import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { PNG } from '../fixtures/images.js';

/** Every admin screen and action, with ids of things the administrator owns (filled in below). */
const GETS = [
  '/admin/', '/admin/posts/', '/admin/posts/new/', '/admin/posts/:post/edit/', '/admin/posts/:trashed/delete/',
  '/admin/pages/', '/admin/pages/new/', '/admin/pages/:page/edit/',
  '/admin/comments/', '/admin/comments/:comment/reply/', '/admin/comments/:comment/edit/', '/admin/comments/:binned/delete/',
  '/admin/media/', '/admin/media/:media/delete/', '/admin/settings/', '/admin/settings/discussion/', '/admin/settings/media/',
  '/admin/profile/', '/admin/users/', '/admin/users/new/', '/admin/users/:user/delete/',
];
const COMMENT_ACTIONS = ['approve', 'unapprove', 'spam', 'not-spam', 'trash', 'restore', 'delete', 'reply', 'edit'];
const POSTS = [
  ...['posts', 'pages'].flatMap((type) => [
    `/admin/${type}/new/`, `/admin/${type}/bulk/`,
    ...['edit', 'trash', 'restore', 'delete'].map((action) => `/admin/${type}/:${type === 'posts' ? 'post' : 'page'}/${action}/`),
  ]),
  '/admin/preview/', '/admin/comments/bulk/', ...COMMENT_ACTIONS.map((action) => `/admin/comments/:comment/${action}/`),
  '/admin/media/', '/admin/media/:media/delete/', '/admin/settings/', '/admin/settings/discussion/', '/admin/settings/media/',
  '/admin/profile/', '/admin/users/new/', '/admin/users/:user/role/', '/admin/users/:user/delete/',
  '/admin/logout/',
];
const ADMINISTRATOR_ONLY = [
  '/admin/settings/', '/admin/settings/discussion/', '/admin/settings/media/',
  '/admin/users/', '/admin/users/new/', '/admin/users/:user/role/', '/admin/users/:user/delete/',
];

let t: TestApp;
let ids: Record<'post' | 'page' | 'trashed' | 'comment' | 'binned' | 'media' | 'user', number>;
const fill = (path: string) => path.replace(/:(post|page|trashed|comment|binned|media|user)\b/, (_m, key: keyof typeof ids) => String(ids[key]));

beforeAll(async () => {
  t = makeTestApp();
  const { agent, csrf } = await adminAgent(t, 'administrator', 'root@example.org');
  const draft = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, title: 'Milik admin', status: 'draft', markdown: 'x' });
  const page = await agent.post('/admin/pages/new/').type('form').send({ _csrf: csrf, title: 'Halaman admin', status: 'published', markdown: 'x' });
  const trashed = await agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, title: 'Dibuang', status: 'draft', markdown: 'x' });
  const idOf = (res: request.Response) => Number(/\/(\d+)\/edit\//.exec(res.headers.location)![1]);
  await agent.post(`/admin/posts/${idOf(trashed)}/trash/`).type('form').send({ _csrf: csrf });
  const seed = t.db.prepare("SELECT id FROM posts WHERE slug LIKE 'trend-life-style%'").pluck().get() as number;
  const comment = Number(t.db.prepare("INSERT INTO comments (post_id, status, author_name, body_html) VALUES (?, 'pending', 'Sari', '<p>Halo</p>')").run(seed).lastInsertRowid);
  // Only a comment in the Trash or Spam has a "Delete permanently" screen.
  const binned = Number(t.db.prepare("INSERT INTO comments (post_id, status, author_name, body_html) VALUES (?, 'trash', 'Tono', '<p>Buang</p>')").run(seed).lastInsertRowid);
  const upload = await agent.post('/admin/media/').field('_csrf', csrf).attach('file', PNG, { filename: 'a.png', contentType: 'image/png' });
  ids = { post: idOf(draft), page: idOf(page), trashed: idOf(trashed), comment, binned, media: Number(/uploaded=(\d+)/.exec(upload.headers.location)![1]),
    user: t.services.users.findByLogin('newbie-im')!.id };
});
afterAll(() => t?.close());

describe('admin access rules', () => {
  it('sends an anonymous visitor of every admin page to the login', async () => {
    for (const path of GETS) {
      const res = await request(t.app).get(fill(path));
      expect([path, res.status, res.headers.location]).toEqual([path, 303, `/admin/login/?next=${encodeURIComponent(fill(path))}`]);
    }
  });

  it('refuses every anonymous change with 403 and changes nothing', async () => {
    // Logging out when not logged in changes nothing: it just leads to the login.
    for (const path of POSTS.filter((p) => p !== '/admin/logout/')) {
      const res = await request(t.app).post(fill(path)).type('form').send({ title: 'x', action: 'trash', ids: String(ids.post) });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(t.db.prepare('SELECT status FROM posts WHERE id = ?').pluck().get(ids.post)).toBe('draft');
    expect(t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(ids.comment)).toBe('pending');
    expect(t.db.prepare('SELECT count(*) FROM media').pluck().get()).toBe(1);
    expect(t.db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(2);
  });

  it('refuses every logged-in change without the session token', async () => {
    const { agent } = await adminAgent(t, 'administrator', 'second@example.org');
    for (const path of POSTS) {
      const res = await agent.post(fill(path)).type('form').send({ title: 'x', action: 'trash', ids: String(ids.post) });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect(t.db.prepare('SELECT status FROM posts WHERE id = ?').pluck().get(ids.post)).toBe('draft');
  });

  it('opens every screen to an administrator', async () => {
    const { agent } = await adminAgent(t, 'administrator', 'third@example.org');
    for (const path of GETS) {
      const res = await agent.get(fill(path));
      expect([path, res.status]).toEqual([path, 200]);
    }
  });

  it('keeps an author out of the settings and away from the administrator\'s draft and comments', async () => {
    const { agent, csrf } = await adminAgent(t, 'author', 'writer@example.org');
    const notTheirs = GETS.filter((p) => ADMINISTRATOR_ONLY.includes(p) || p.includes('/pages/') || /:(post|trashed|comment)\b/.test(p));
    for (const path of notTheirs) {
      expect([path, (await agent.get(fill(path))).status]).toEqual([path, 403]);
    }
    expect((await agent.get(fill('/admin/media/:media/delete/'))).status).toBe(403);
    const changes = POSTS.filter((p) => ADMINISTRATOR_ONLY.includes(p) || p.includes('/pages/') || /:(post|trashed|comment|media)\b/.test(p));
    for (const path of changes) {
      expect([path, (await agent.post(fill(path)).type('form').send({ _csrf: csrf, title: 'x' })).status]).toEqual([path, 403]);
    }
    const settingsLink = (await agent.get('/admin/')).text.includes('href="/admin/settings/"');
    expect(settingsLink).toBe(false);
    expect(t.db.prepare('SELECT status FROM comments WHERE id = ?').pluck().get(ids.comment)).toBe('pending');
  });
});
