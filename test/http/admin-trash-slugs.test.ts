import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
afterEach(() => t?.close());

const slugOf = (id: number) => t.db.prepare('SELECT slug FROM posts WHERE id = ?').pluck().get(id);
const idFrom = (location: string) => Number(/\/(\d+)\/edit\//.exec(location)![1]);

describe('slugs and the trash', () => {
  it('frees a trashed post\'s address for a new post, and gives it back on restore when still free', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const write = (title: string) =>
      agent.post('/admin/posts/new/').type('form').send({ _csrf: csrf, title, status: 'published', markdown: 'x', publish_at: '2026-02-01T10:00' });
    const first = idFrom((await write('Resep Rendang')).headers.location);
    await agent.post(`/admin/posts/${first}/trash/`).type('form').send({ _csrf: csrf });
    expect(slugOf(first)).toBe('resep-rendang__trashed');
    expect((await request(t.app).get('/2026/02/01/resep-rendang/')).status).toBe(404);

    const second = idFrom((await write('Resep Rendang')).headers.location);
    expect(slugOf(second)).toBe('resep-rendang');
    expect((await request(t.app).get('/2026/02/01/resep-rendang/')).status).toBe(200);

    // Restored while the address is taken: it gets the next free one, as a draft.
    await agent.post(`/admin/posts/${first}/restore/`).type('form').send({ _csrf: csrf });
    expect(slugOf(first)).toBe('resep-rendang-2');
    await agent.post(`/admin/posts/${second}/trash/`).type('form').send({ _csrf: csrf });
    await agent.post(`/admin/posts/${second}/restore/`).type('form').send({ _csrf: csrf });
    expect(slugOf(second)).toBe('resep-rendang');
  });
});
