import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { mediaChecks, upload } from '../support/admin-media.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { APNG, GIF, JPEG, PHP, PNG, SVG, WEBP } from '../fixtures/images.js';

let t: TestApp;
afterEach(() => t?.close());
const { storedFiles, rows, expectNothingStored } = mediaChecks(() => t);

describe('POST /admin/media/', () => {
  it('accepts tiny PNG, JPEG, GIF and WebP images, stores them re-encoded under random names and serves them as images', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const images = [
      { bytes: PNG, name: 'tiny-photo.png', mime: 'image/png', ext: 'png' },
      { bytes: JPEG, name: 'holiday.jpeg', mime: 'image/jpeg', ext: 'jpg' },
      { bytes: GIF, name: 'dance.gif', mime: 'image/gif', ext: 'gif' },
      { bytes: WEBP, name: 'modern.webp', mime: 'image/webp', ext: 'webp' },
    ];
    for (const image of images) {
      const res = await upload(agent, csrf, image.bytes, image.name, image.mime);
      expect(res.status).toBe(303);
      const row = rows().at(-1)!;
      expect(res.headers.location).toBe(`/admin/media/?uploaded=${row.id}`);
      expect(row.fileName).toMatch(new RegExp(`^[0-9a-f]{32}\\.${image.ext}$`));
      expect(row).toMatchObject({ originalName: image.name, mime: image.mime });

      const served = await request(t.app).get(`/uploads/${row.fileName}`);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe(image.mime);
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(row.size).toBe((served.body as Buffer).length);
      expect(await sharp(served.body as Buffer).metadata()).toMatchObject({ format: image.ext === 'jpg' ? 'jpeg' : image.ext, width: 1, height: 1 });
    }
    expect(storedFiles().sort()).toEqual(rows().map((r) => r.fileName).sort());
    expect(new Set(rows().map((r) => r.fileName)).size).toBe(4);
  });

  it('shows the new image with the Markdown to copy, and lists every image with its details', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await upload(agent, csrf, PNG, 'tiny-photo.png');
    const page = await agent.get(res.headers.location);
    const { fileName } = rows()[0];
    expect(page.status).toBe(200);
    expect(page.text).toContain('Uploaded “tiny-photo.png”');
    expect(page.text).toContain(`value="![tiny-photo](/uploads/${fileName})"`);
    expect(page.text).toContain(`<img src="/uploads/${fileName}"`);
    expect(page.text).toContain(`${fs.statSync(path.join(t.config.uploadsDir, fileName)).size} bytes`);
    expect(page.text).toContain('The administrator');
    expect(page.text).toContain('href="/admin/media/1/delete/"');
    expect(page.text).not.toContain('/uploads/tiny-photo');

    const later = await agent.get('/admin/media/');
    expect(later.text).not.toContain('Uploaded “tiny-photo.png”');
    expect(later.text).toContain(`value="![tiny-photo](/uploads/${fileName})"`);
  });

  it('gives Markdown that shows the image to readers of a post', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    await upload(agent, csrf, PNG, 'My [odd] photo.final.png');
    const markdown = /id="markdown-1" readonly value="([^"]+)"/.exec((await agent.get('/admin/media/')).text)![1];
    expect(markdown).toBe(`![My \\[odd\\] photo.final](/uploads/${rows()[0].fileName})`);
    addPost(t, { slug: 'with-photo', markdown: `Look:\n\n${markdown}`, publishedAt: '2020-01-02T03:04:05Z' });
    const post = await request(t.app).get('/2020/01/02/with-photo/');
    expect(post.status).toBe(200);
    expect(post.text).toContain(`<img src="/uploads/${rows()[0].fileName}" alt="My [odd] photo.final"`);
  });

  it('trusts the bytes, not the name or the declared type: a PNG called .jpg is stored and served as a PNG', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await upload(agent, csrf, PNG, 'photo.jpg', 'image/jpeg')).status).toBe(303);
    expect(rows()[0].fileName).toMatch(/^[0-9a-f]{32}\.png$/);
    const served = await request(t.app).get(`/uploads/${rows()[0].fileName}`);
    expect(served.headers['content-type']).toBe('image/png');
  });

  it('takes an animated PNG as a PNG', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await upload(agent, csrf, APNG, 'spinner.png', 'image/png')).status).toBe(303);
    expect(rows()[0].fileName).toMatch(/\.png$/);
    expect((await request(t.app).get(`/uploads/${rows()[0].fileName}`)).headers['content-type']).toBe('image/png');
  });

  it('refuses a PHP script renamed .jpg, stores nothing and says why', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await upload(agent, csrf, PHP, 'shell.php.jpg', 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.text).toContain('not an image we accept');
    expect(res.text).toContain('name="file"');
    expectNothingStored();
  });

  it('refuses an SVG, which could carry script', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await upload(agent, csrf, SVG, 'logo.svg', 'image/svg+xml');
    expect(res.status).toBe(415);
    expectNothingStored();
  });

  it('refuses a file over the size limit set in the settings, naming the limit', async () => {
    t = makeTestApp();
    t.services.settings.update({ maxUploadMb: 1 });
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.get('/admin/media/')).text).toContain('up to 1 MB');
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
    const res = await upload(agent, csrf, big, 'huge.png');
    expect(res.status).toBe(413);
    expect(res.text).toContain('images may be up to 1 MB');
    expectNothingStored();

    const justUnder = Buffer.concat([PNG, Buffer.alloc(1024 * 1024 - PNG.length)]);
    expect((await upload(agent, csrf, justUnder, 'fits.png')).status).toBe(303);
  });

  it('asks for a file when none was chosen, or when it is empty', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const none = await agent.post('/admin/media/').field('_csrf', csrf);
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose an image to upload.');
    const empty = await upload(agent, csrf, Buffer.alloc(0), 'empty.png');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('The file is empty.');
    expectNothingStored();
  });

  it('refuses an upload without the form token, or with a wrong one, and stores nothing', async () => {
    t = makeTestApp();
    const { agent } = await adminAgent(t);
    const missing = await agent.post('/admin/media/').attach('file', PNG, { filename: 'a.png', contentType: 'image/png' });
    expect(missing.status).toBe(403);
    const wrong = await upload(agent, 'not-the-token', PNG, 'a.png');
    expect(wrong.status).toBe(403);
    expectNothingStored();
  });

  it('refuses an anonymous upload', async () => {
    t = makeTestApp();
    const res = await request(t.app).post('/admin/media/').field('_csrf', 'x').attach('file', PNG, { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).toBe(403);
    expectNothingStored();
  });

  it('answers 400, not 500, to a form it cannot read: cut short, two files, or the file in another field', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const cutShort = [
      '--xyz', 'Content-Disposition: form-data; name="_csrf"', '', csrf,
      '--xyz', 'Content-Disposition: form-data; name="file"; filename="a.png"', 'Content-Type: image/png', '', 'abc',
    ].join('\r\n');
    const truncated = await agent.post('/admin/media/').set('Content-Type', 'multipart/form-data; boundary=xyz').send(cutShort);
    expect(truncated.status).toBe(400);
    const two = await agent.post('/admin/media/').field('_csrf', csrf)
      .attach('file', PNG, { filename: 'a.png', contentType: 'image/png' })
      .attach('file', GIF, { filename: 'b.gif', contentType: 'image/gif' });
    expect(two.status).toBe(400);
    const elsewhere = await agent.post('/admin/media/').field('_csrf', csrf).attach('picture', PNG, { filename: 'a.png', contentType: 'image/png' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.text).toContain('The upload could not be read.');
    expectNothingStored();
  });

  it('keeps a path-like or HTML-like original name harmless', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await upload(agent, csrf, PNG, '../../evil.png')).status).toBe(303);
    expect((await upload(agent, csrf, GIF, '<img src=x onerror=alert(1)>.gif', 'image/gif')).status).toBe(303);
    const [evil, html] = rows();
    expect(evil.originalName).toBe('evil.png');
    expect(evil.fileName).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(storedFiles().sort()).toEqual([evil.fileName, html.fileName].sort());
    expect(fs.existsSync(path.join(t.config.uploadsDir, '..', '..', 'evil.png'))).toBe(false);
    expect(fs.existsSync(path.join(t.dir, 'evil.png'))).toBe(false);

    const page = await agent.get('/admin/media/');
    expect(page.text).toContain(`![evil](/uploads/${evil.fileName})`);
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;.gif');
  });
});
