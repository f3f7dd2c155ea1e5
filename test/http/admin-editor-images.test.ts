import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { mediaChecks } from '../support/admin-media.js';
import { addPost, makeTestApp, type TestApp } from '../support/app.js';
import { PHP, PNG } from '../fixtures/images.js';

let t: TestApp;
afterEach(() => t?.close());
const { storedFiles, rows, expectNothingStored } = mediaChecks(() => t);

type Agent = Awaited<ReturnType<typeof adminAgent>>['agent'];

/** The editor form as a browser sends it once it carries a file: multipart, the image among the fields. */
function editorWithImage(agent: Agent, path: string, fields: Record<string, string>, image?: { bytes: Buffer; name: string }) {
  const req = agent.post(path);
  for (const [name, value] of Object.entries(editor(fields))) for (const one of [value].flat()) req.field(name, one);
  return image ? req.attach('image', image.bytes, { filename: image.name, contentType: 'image/png' }) : req;
}

const postSource = (title: string) =>
  t.db.prepare('SELECT body_markdown AS source, source_format AS format FROM posts WHERE title = ?').get(title) as { source: string; format: string } | undefined;

describe('the upload route answers the editor\'s script in JSON', () => {
  it('gives the new image\'s id, address and the Markdown to insert, and keeps it in the library', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/media/').set('Accept', 'application/json')
      .field('_csrf', csrf).attach('file', PNG, { filename: 'Pantai [Kuta].png', contentType: 'image/png' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const [row] = rows();
    expect(res.body).toEqual({
      id: row.id,
      url: `/uploads/${row.fileName}`,
      markdown: `![Pantai \\[Kuta\\]](/uploads/${row.fileName})`,
      html: `<img src="/uploads/${row.fileName}" alt="Pantai [Kuta]">`,
    });
    expect((await request(t.app).get(res.body.url)).status).toBe(200);
    expect((await agent.get('/admin/media/')).text).toContain(`/uploads/${row.fileName}`);
  });

  it('refuses a file that is not an image with the reason in the site\'s language, storing nothing', async () => {
    t = makeTestApp();
    t.services.settings.update({ language: 'id' });
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/media/').set('Accept', 'application/json')
      .field('_csrf', csrf).attach('file', PHP, { filename: 'shell.jpg', contentType: 'image/jpeg' });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: 'Berkas itu bukan gambar yang kami terima. Unggah gambar JPEG, PNG, GIF, atau WebP.' });
    expectNothingStored();
  });

  it('still answers a plain form with the library page', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/media/').field('_csrf', csrf).attach('file', PNG, { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/media/?uploaded=${rows()[0].id}`);
  });
});

describe('the editor form without JavaScript', () => {
  it('is a multipart form with an image field', async () => {
    t = makeTestApp();
    const { agent } = await adminAgent(t);
    const page = (await agent.get('/admin/posts/new/')).text;
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).toMatch(/<input id="image" name="image" type="file" accept="image\/jpeg,image\/png,image\/gif,image\/webp"/);
    expect(page).toContain('Add an image');
  });

  it('uploads the image with the post and adds its Markdown at the end of the text, shown to readers', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await editorWithImage(agent, '/admin/posts/new/',
      { _csrf: csrf, title: 'Liburan di Bali', markdown: 'Pantainya indah.\n\n', status: 'published' }, { bytes: PNG, name: 'pantai.png' });
    expect(res.status).toBe(303);
    const [row] = rows();
    expect(row.originalName).toBe('pantai.png');
    expect(storedFiles()).toEqual([row.fileName]);
    expect(postSource('Liburan di Bali')!.source).toBe(`Pantainya indah.\n\n![pantai](/uploads/${row.fileName})`);
    const edit = await agent.get(res.headers.location);
    expect(edit.text).toContain(`![pantai](/uploads/${row.fileName})</textarea>`);
    const permalink = /Permalink: <a href="([^"]+)"/.exec(edit.text)![1];
    expect((await request(t.app).get(permalink)).text).toContain(`<img src="/uploads/${row.fileName}" alt="pantai"`);
  });

  it('shows the image in the preview and keeps its line in the text, saving no post', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await editorWithImage(agent, '/admin/posts/new/',
      { _csrf: csrf, title: 'Coba pratinjau', markdown: 'Lihat:', intent: 'preview' }, { bytes: PNG, name: 'foto.png' });
    expect(res.status).toBe(200);
    const { fileName } = rows()[0];
    expect(res.text).toContain(`Lihat:\n\n![foto](/uploads/${fileName})</textarea>`);
    expect(res.text).toMatch(new RegExp(`id="preview"[^>]*>[\\s\\S]*<img src="/uploads/${fileName}" alt="foto"`));
    expect(postSource('Coba pratinjau')).toBeUndefined();
  });

  it('adds an <img> to a post whose source is HTML', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const id = addPost(t, { slug: 'dari-wordpress', title: 'Dari WordPress', markdown: '<p>Lama.</p>', sourceFormat: 'html' });
    const res = await editorWithImage(agent, `/admin/posts/${id}/edit/`,
      { _csrf: csrf, title: 'Dari WordPress', markdown: '<p>Lama.</p>', status: 'published' }, { bytes: PNG, name: 'kenangan.png' });
    expect(res.status).toBe(303);
    expect(postSource('Dari WordPress')).toEqual({ format: 'html', source: `<p>Lama.</p>\n\n<img src="/uploads/${rows()[0].fileName}" alt="kenangan">` });
  });

  it('refuses a file that is not an image with a 422, keeping everything typed, the reason said, nothing saved', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const req = agent.post('/admin/posts/new/').field('_csrf', csrf).field('title', 'Tulisan <panjang>').field('markdown', 'Paragraf & "kutipan".')
      .attach('image', PHP, { filename: 'foto.jpg', contentType: 'image/jpeg' })
      .field('status', 'published').field('excerpt', 'Ringkasan setelah berkas').field('tags', 'bali, pantai');
    const res = await req;
    expect(res.status).toBe(422);
    expect(res.text).toContain('The image was not added and nothing was saved. That file is not an image we accept.');
    expect(res.text).toContain('value="Tulisan &lt;panjang&gt;"');
    expect(res.text).toContain('Paragraf &amp; &#34;kutipan&#34;.</textarea>');
    expect(res.text).toContain('Ringkasan setelah berkas</textarea>');
    expect(res.text).toContain('value="bali, pantai"');
    expect(postSource('Tulisan <panjang>')).toBeUndefined();
    expectNothingStored();
  });

  it('refuses a file over the size limit, keeping the fields sent after it', async () => {
    t = makeTestApp();
    t.services.settings.update({ maxUploadMb: 1 });
    const { agent, csrf } = await adminAgent(t);
    const big = Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]);
    const res = await agent.post('/admin/posts/new/').field('_csrf', csrf).field('title', 'Foto besar').field('markdown', 'Teksnya tetap.')
      .attach('image', big, { filename: 'besar.png', contentType: 'image/png' })
      .field('status', 'draft').field('excerpt', 'Masih ada.');
    expect(res.status).toBe(422);
    expect(res.text).toContain('The file is too big: images may be up to 1 MB.');
    expect(res.text).toContain('Teksnya tetap.</textarea>');
    expect(res.text).toContain('Masih ada.</textarea>');
    expect(postSource('Foto besar')).toBeUndefined();
    expectNothingStored();
  });

  it('refuses a multipart save without the form token, storing neither the post nor the image', async () => {
    t = makeTestApp();
    const { agent } = await adminAgent(t);
    const res = await editorWithImage(agent, '/admin/posts/new/', { title: 'Tanpa token', markdown: 'x' }, { bytes: PNG, name: 'a.png' });
    expect(res.status).toBe(403);
    const wrong = await editorWithImage(agent, '/admin/posts/new/', { _csrf: 'forged', title: 'Tanpa token', markdown: 'x' });
    expect(wrong.status).toBe(403);
    expect(postSource('Tanpa token')).toBeUndefined();
    expectNothingStored();
  });

  it('still refuses multipart forms on other admin screens', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const res = await agent.post('/admin/posts/bulk/').field('_csrf', csrf).field('action', 'trash').attach('image', PNG, { filename: 'a.png', contentType: 'image/png' });
    expect(res.status).toBe(403);
    expectNothingStored();
  });

  it('saves a form without a file, multipart or urlencoded, as before', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const multipart = await editorWithImage(agent, '/admin/posts/new/', { _csrf: csrf, title: 'Tanpa gambar', markdown: 'Hanya teks.' });
    expect(multipart.status).toBe(303);
    expect(postSource('Tanpa gambar')!.source).toBe('Hanya teks.');
    const urlencoded = await agent.post('/admin/pages/new/').type('form').send(editor({ _csrf: csrf, title: 'Tentang', markdown: 'Laman biasa.' }));
    expect(urlencoded.status).toBe(303);
    expect(postSource('Tentang')!.source).toBe('Laman biasa.');
    expectNothingStored();
  });
});
