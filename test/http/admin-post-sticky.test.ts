import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let admin: Awaited<ReturnType<typeof adminAgent>>;
beforeEach(async () => {
  t = makeTestApp();
  admin = await adminAgent(t);
});
afterEach(() => t.close());

/** Saves a post through the editor (a new one, or `id`), as the administrator's browser sends the form. */
async function savePost(fields: Record<string, string>, id?: number) {
  const res = await admin.agent.post(id ? `/admin/posts/${id}/edit/` : '/admin/posts/new/').type('form')
    .send(editor({ _csrf: admin.csrf, status: 'published', ...fields }));
  expect(res.status).toBe(303);
  return Number(/\/admin\/posts\/(\d+)\/edit\//.exec(res.headers.location)![1]);
}

/** The post titles of the home page, top to bottom. */
const homeTitles = async () =>
  [...(await request(t.app).get('/').expect(200)).text.matchAll(/rel="bookmark">([^<]+)<\/a>/g)].map((m) => m[1]);

describe('the post editor’s "Stick to the top of the blog"', () => {
  it('is saved with the post, which the home page then shows first; unticked, the post goes back to its date', async () => {
    const older = await savePost({ title: 'Older news', markdown: 'Old.', publish_at: '2020-01-01T10:00', sticky: 'on' });
    await savePost({ title: 'Newer news', markdown: 'New.', publish_at: '2024-01-01T10:00' });
    expect((await homeTitles()).slice(0, 2)).toEqual(['Older news', 'Newer news']);
    const form = (await admin.agent.get(`/admin/posts/${older}/edit/`).expect(200)).text;
    expect(form).toContain('<input type="checkbox" id="sticky" name="sticky" checked> <label for="sticky">Stick to the top of the blog</label>');

    await savePost({ title: 'Older news', markdown: 'Old.', publish_at: '2020-01-01T10:00' }, older);
    expect((await homeTitles()).slice(0, 2)).toEqual(['Newer news', 'Older news']);
    expect((await admin.agent.get(`/admin/posts/${older}/edit/`).expect(200)).text).toContain('<input type="checkbox" id="sticky" name="sticky">');
  });

  it('is offered for posts only, in the site’s language', async () => {
    expect((await admin.agent.get('/admin/pages/new/').expect(200)).text).not.toContain('name="sticky"');
    t.services.settings.update({ language: 'id' } as never);
    expect((await admin.agent.get('/admin/posts/new/').expect(200)).text).toContain('Tempelkan di bagian atas blog');
  });
});
