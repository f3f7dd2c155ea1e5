import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { mediaChecks, upload } from '../support/admin-media.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { GIF, PNG, WEBP } from '../fixtures/images.js';

let t: TestApp;
afterEach(() => t?.close());
const { storedFiles, rows, expectNothingStored } = mediaChecks(() => t);

describe('GET /admin/media/', () => {
  it('lists the newest first, 40 to a page', async () => {
    t = makeTestApp();
    const { user, agent } = await adminAgent(t);
    for (let i = 1; i <= 41; i++) {
      await t.services.media.upload({ bytes: PNG, originalName: `image-${i}.png`, uploadedBy: user.id });
    }
    const first = await agent.get('/admin/media/');
    expect(first.text).toContain('41 images');
    expect(first.text.indexOf('image-41.png')).toBeLessThan(first.text.indexOf('image-40.png'));
    expect(first.text).toContain('image-2.png');
    expect(first.text).not.toContain('image-1.png');
    expect(first.text).toContain('href="/admin/media/?page=2"');
    const second = await agent.get('/admin/media/?page=2');
    expect(second.text).toContain('image-1.png');
    expect(second.text).not.toContain('image-2.png');
    expect((await agent.get('/admin/media/?page=3')).status).toBe(404);
    expect((await agent.get('/admin/media/?page=abc')).status).toBe(404);
  });

  it('sends an anonymous visitor to the login', async () => {
    t = makeTestApp();
    const res = await request(t.app).get('/admin/media/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/login/?next=%2Fadmin%2Fmedia%2F');
  });
});

describe('/admin/media/<id>/delete/', () => {
  it('lets an author delete their own upload but not the administrator’s', async () => {
    t = makeTestApp();
    const admin = await adminAgent(t);
    const author = await adminAgent(t, 'author');
    await upload(admin.agent, admin.csrf, PNG, 'admins.png');
    await upload(author.agent, author.csrf, GIF, 'mine.gif', 'image/gif');
    const [theirs, mine] = rows();

    const list = await author.agent.get('/admin/media/');
    expect(list.text).toContain('admins.png');
    expect(list.text).not.toContain(`href="/admin/media/${theirs.id}/delete/"`);
    expect(list.text).toContain(`href="/admin/media/${mine.id}/delete/"`);
    expect((await author.agent.get(`/admin/media/${theirs.id}/delete/`)).status).toBe(403);
    expect((await author.agent.post(`/admin/media/${theirs.id}/delete/`).type('form').send({ _csrf: author.csrf })).status).toBe(403);
    expect(storedFiles()).toContain(theirs.fileName);

    const confirm = await author.agent.get(`/admin/media/${mine.id}/delete/`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('Delete “mine.gif” permanently?');
    expect(confirm.text).toContain(`action="/admin/media/${mine.id}/delete/"`);
    const res = await author.agent.post(`/admin/media/${mine.id}/delete/`).type('form').send({ _csrf: author.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/media/?deleted=1');
    expect((await author.agent.get(res.headers.location)).text).toContain('The image was deleted permanently.');
    expect(rows().map((r) => r.id)).toEqual([theirs.id]);
    expect(storedFiles()).toEqual([theirs.fileName]);
    expect((await request(t.app).get(`/uploads/${mine.fileName}`)).status).toBe(404);
  });

  it('lets the administrator delete anyone’s upload, removing the file from disk', async () => {
    t = makeTestApp();
    const admin = await adminAgent(t);
    const author = await adminAgent(t, 'author');
    await upload(author.agent, author.csrf, WEBP, 'authors.webp', 'image/webp');
    const [item] = rows();
    expect(fs.existsSync(path.join(t.config.uploadsDir, item.fileName))).toBe(true);
    const res = await admin.agent.post(`/admin/media/${item.id}/delete/`).type('form').send({ _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect(fs.existsSync(path.join(t.config.uploadsDir, item.fileName))).toBe(false);
    expectNothingStored();
  });

  it('answers 404 for an unknown or malformed id, and 403 without the form token', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    await upload(agent, csrf, PNG, 'keep.png');
    const [item] = rows();
    expect((await agent.get('/admin/media/999/delete/')).status).toBe(404);
    expect((await agent.post('/admin/media/999/delete/').type('form').send({ _csrf: csrf })).status).toBe(404);
    expect((await agent.get('/admin/media/abc/delete/')).status).toBe(404);
    expect((await agent.get('/admin/media/99999999999999999999/delete/')).status).toBe(404);
    expect((await agent.post(`/admin/media/${item.id}/delete/`).type('form').send({})).status).toBe(403);
    expect(rows()).toHaveLength(1);
    expect(storedFiles()).toEqual([item.fileName]);
  });
});
