import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { fetchChecked } from '../../src/wxr/safe-fetch.js';
import { makeTestApp, type TestApp } from '../support/app.js';

/** The old WordPress blog: a real HTTP server on loopback, counting what it is asked for. */
let server: http.Server;
let old = '';
let png: Buffer;
let jpeg: Buffer;
const asked: string[] = [];
/** How many bytes the endless file sent before the reader hung up. */
let endlessSent = 0;

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c0392b' } }).png().toBuffer();
  // A camera's photo: EXIF naming its owner, which an upload's cleaning removes.
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2980b9' } })
    .jpeg().withExif({ IFD0: { Artist: 'Secret Photographer' } }).toBuffer();
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    asked.push(url);
    const send = (type: string, body: Buffer | string) => res.writeHead(200, { 'content-type': type }).end(body);
    if (url === '/wp-content/uploads/2016/05/attached.png') return send('image/png', png);
    if (url === '/wp-content/uploads/2016/05/photo.jpg') return send('image/jpeg', jpeg);
    if (url === '/wp-content/uploads/moved.png') return res.writeHead(302, { location: '/files/real.png' }).end();
    if (url === '/files/real.png') return send('image/png', png);
    if (url.startsWith('/wp-content/uploads/loop')) {
      const n = Number(/\d+/.exec(url)?.[0] ?? 0);
      return res.writeHead(302, { location: `/wp-content/uploads/loop${n + 1}.png` }).end();
    }
    if (url === '/wp-content/uploads/elsewhere.png') return res.writeHead(301, { location: 'ftp://127.0.0.1/pub/x.png' }).end();
    if (url === '/wp-content/uploads/page.jpg') return send('image/jpeg', '<!doctype html><html><body>Not found, sorry</body></html>');
    if (url === '/wp-content/uploads/huge.png') {
      // No length announced: only counting the bytes read can stop it.
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const more = () => {
        while (endlessSent < 50 * 1024 * 1024 && !res.destroyed) {
          endlessSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => undefined);
      return more();
    }
    // Headers, then silence.
    if (url === '/wp-content/uploads/slow.png') return void res.writeHead(200, { 'content-type': 'image/png' }).write(png.subarray(0, 10));
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  old = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-wxr-media-'));
let t: TestApp;
beforeEach(() => {
  asked.length = 0;
  endlessSent = 0;
  t = makeTestApp();
  // 1 MB, so the endless file passes the limit soon.
  expect(t.services.settings.update({ maxUploadMb: 1 })).toEqual({});
});
afterEach(() => t.close());

const uploads = (name: string) => `${old}/wp-content/uploads/${name}`;

/** An export of the old blog: one attachment, one post linking every kind of file the server has. */
function exportFile() {
  const file = path.join(dir, `old-${Date.now()}-${Math.random()}.xml`);
  const body = [
    `<p><img src="${uploads('2016/05/photo.jpg')}" alt="Foto"></p>`,
    `<figure><a href="${uploads('2016/05/attached.png')}"><img src="${uploads('2016/05/attached.png')}"></a></figure>`,
    `<p><img src="${uploads('missing.jpg')}"> <img src="${uploads('moved.png')}"> <img src="${uploads('loop0.png')}"></p>`,
    `<p><img src="${uploads('elsewhere.png')}"> <img src="${uploads('page.jpg')}"> <img src="${uploads('huge.png')}"></p>`,
    `<p><img src="https://cdn.elsewhere.example/pic.jpg"> <a href="${uploads('2016/05/notes.pdf')}">notes</a></p>`,
  ].join('\n');
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><link>${old}</link><description></description><language>id-ID</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>${old}</wp:base_site_url><wp:base_blog_url>${old}</wp:base_blog_url>
<item><title>Gambar</title><link>${old}/gambar/</link><dc:creator>admin</dc:creator><guid isPermaLink="false">${old}/?p=5</guid>
<content:encoded><![CDATA[${body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>5</wp:post_id>
<wp:post_date>2016-05-12 10:00:00</wp:post_date><wp:post_date_gmt>2016-05-12 03:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>gambar</wp:post_name><wp:status>publish</wp:status>
<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky></item>
<item><title>attached</title><link>${old}/gambar/attached/</link><dc:creator>admin</dc:creator><guid isPermaLink="false">${uploads('2016/05/attached.png')}</guid>
<content:encoded><![CDATA[]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>6</wp:post_id>
<wp:post_date>2016-05-12 10:00:00</wp:post_date><wp:post_date_gmt>2016-05-12 03:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status><wp:post_name>attached</wp:post_name><wp:status>inherit</wp:status>
<wp:post_parent>5</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<wp:attachment_url>${uploads('2016/05/attached.png')}</wp:attachment_url></item>
</channel></rss>
`);
  return file;
}

const post = () => t.db.prepare("SELECT body_markdown, body_html FROM posts WHERE slug = 'gambar'").get() as { body_markdown: string; body_html: string };
const media = () => t.db.prepare('SELECT file_name, source_url, mime, size, post_id FROM media ORDER BY id').all() as
  { file_name: string | null; source_url: string; mime: string; size: number; post_id: number | null }[];
const fileFor = (name: string) => media().find((m) => m.source_url === uploads(name))?.file_name;

const FAILED_WITH_ALLOW_PRIVATE = {
  'HTTP 404': 1,
  'more than 3 redirects': 1,
  'not an http(s) address': 1,
  'not an image an upload would take': 1,
  'larger than the upload limit (1 MB)': 1,
};

describe('wxrDownloadMedia (npm run import -- FILE --download-media)', () => {
  it('fetches the attachment and the images the post links on the old blog into the media library, cleaned, and points the post at them', async () => {
    await t.services.wxrImport(exportFile());
    expect(asked).toEqual([]);
    const summary = await t.services.wxrDownloadMedia({ allowPrivate: true, timeoutMs: 5000 });

    expect(summary.downloaded).toBe(3);
    expect(summary.postsRewritten).toBe(1);
    expect(summary.failed).toEqual(FAILED_WITH_ALLOW_PRIVATE);
    expect(summary.failures).toEqual(expect.arrayContaining([
      `${uploads('missing.jpg')}: HTTP 404`,
      `${uploads('elsewhere.png')}: not an http(s) address (ftp)`,
    ]));
    // The endless file was cut off soon after the limit, not read to its end.
    expect(endlessSent).toBeLessThan(8 * 1024 * 1024);
    // Only images on the old blog's uploads are fetched: not the PDF, not another host's picture.
    expect(asked.some((url) => url.includes('notes.pdf'))).toBe(false);

    // The attachment's row has its file now, its old address kept; the linked images are new rows of the post.
    const attached = media().find((m) => m.source_url === uploads('2016/05/attached.png'))!;
    expect(attached).toMatchObject({ mime: 'image/png', post_id: expect.any(Number) });
    expect(attached.file_name).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(fileFor('2016/05/photo.jpg')).toMatch(/\.jpg$/);
    expect(fileFor('moved.png')).toMatch(/\.png$/);
    expect(media().filter((m) => m.file_name === null)).toEqual([]);
    const photo = fs.readFileSync(path.join(t.config.uploadsDir, fileFor('2016/05/photo.jpg')!));
    expect((await sharp(photo).metadata()).width).toBe(64);
    expect(photo.includes('Secret Photographer')).toBe(false);
    expect(jpeg.includes('Secret Photographer')).toBe(true);

    // A reader gets the images from this blog; what failed keeps its old address; other hosts are left alone.
    const page = await request(t.app).get('/2016/05/12/gambar/').expect(200);
    // Downloaded images are uploads like any other: measured, so the page does not jump as they load.
    expect(page.text).toContain(`<img src="/uploads/${fileFor('2016/05/photo.jpg')}" alt="Foto" loading="eager" decoding="async" width="64" height="48" />`);
    expect(page.text).toContain(`<a href="/uploads/${attached.file_name}"><img src="/uploads/${attached.file_name}" loading="lazy" decoding="async" width="40" height="30" /></a>`);
    expect(page.text).toContain(`/uploads/${fileFor('moved.png')}`);
    expect(page.text).not.toContain(uploads('2016/05/photo.jpg'));
    for (const kept of ['missing.jpg', 'loop0.png', 'elsewhere.png', 'page.jpg', 'huge.png', '2016/05/notes.pdf']) expect(page.text).toContain(uploads(kept));
    expect(page.text).toContain('https://cdn.elsewhere.example/pic.jpg');
    expect(post().body_markdown).toContain(`<img src="/uploads/${fileFor('2016/05/photo.jpg')}" alt="Foto">`);
    const served = await request(t.app).get(`/uploads/${fileFor('2016/05/photo.jpg')}`).expect(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
  });

  it('downloads nothing already downloaded when run again', async () => {
    await t.services.wxrImport(exportFile());
    await t.services.wxrDownloadMedia({ allowPrivate: true, timeoutMs: 5000 });
    const before = { media: media(), post: post() };
    asked.length = 0;

    const again = await t.services.wxrDownloadMedia({ allowPrivate: true, timeoutMs: 5000 });
    expect(again).toMatchObject({ downloaded: 0, postsRewritten: 0, failed: FAILED_WITH_ALLOW_PRIVATE });
    expect({ media: media(), post: post() }).toEqual(before);
    // Only what failed is asked for again.
    expect(asked.filter((url) => /photo|attached|moved|real/.test(url))).toEqual([]);
  });

  it('refuses the loopback address without --allow-private: nothing is fetched and the post is unchanged', async () => {
    await t.services.wxrImport(exportFile());
    const imported = post();
    const summary = await t.services.wxrDownloadMedia({ allowPrivate: false, timeoutMs: 5000 });
    expect(asked).toEqual([]);
    // The attachment and the seven images the post links on the old uploads, each refused.
    expect(summary).toMatchObject({ downloaded: 0, postsRewritten: 0, failed: { 'private or local address refused (--allow-private allows it)': 8 } });
    expect(summary.failures[0]).toBe(`${uploads('2016/05/attached.png')}: address 127.0.0.1 refused (loopback)`);
    expect(post()).toEqual(imported);
    expect(media()).toEqual([expect.objectContaining({ file_name: null, source_url: uploads('2016/05/attached.png') })]);
  });
});

describe('fetchChecked', () => {
  const options = { allowPrivate: false, maxBytes: 1024 * 1024, timeoutMs: 5000, maxRedirects: 3 };
  const port = () => (server.address() as AddressInfo).port;

  it('refuses a name that resolves to loopback, and loopback written as an IPv4-mapped IPv6 address, before connecting', async () => {
    expect(await fetchChecked(`http://localhost:${port()}/wp-content/uploads/2016/05/photo.jpg`, options)).toMatchObject({ reason: 'address' });
    expect(await fetchChecked(`http://[::ffff:127.0.0.1]:${port()}/wp-content/uploads/2016/05/photo.jpg`, options))
      .toEqual({ reason: 'address', address: '::ffff:7f00:1', range: 'loopback' });
    expect(await fetchChecked('http://[fe80::1]/x.png', options)).toEqual({ reason: 'address', address: 'fe80::1', range: 'linkLocal' });
    expect(await fetchChecked('http://0.0.0.0/x.png', options)).toEqual({ reason: 'address', address: '0.0.0.0', range: 'unspecified' });
    expect(asked).toEqual([]);
  });

  it('connects to the address it checked for a host name, and gives up on a file that takes too long', async () => {
    const allowed = { ...options, allowPrivate: true };
    expect(await fetchChecked(`http://localhost:${port()}/wp-content/uploads/2016/05/photo.jpg`, allowed)).toEqual({ bytes: jpeg });
    const started = Date.now();
    expect(await fetchChecked(`http://127.0.0.1:${port()}/wp-content/uploads/slow.png`, { ...allowed, timeoutMs: 300 })).toEqual({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses addresses that are not http(s)', async () => {
    expect(await fetchChecked('file:///etc/passwd', options)).toEqual({ reason: 'scheme', scheme: 'file' });
    expect(await fetchChecked('ftp://127.0.0.1/x.png', { ...options, allowPrivate: true })).toEqual({ reason: 'scheme', scheme: 'ftp' });
  });
});

/** `npm run import` from source, as an administrator runs it. */
function runImport(args: string[]) {
  const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['src/cli/import.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, SESSION_SECRET: '', DATABASE_PATH: t.config.databasePath, UPLOADS_DIR: t.config.uploadsDir, PUBLIC_URL: 'http://blog.test' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

describe('npm run import -- FILE --download-media', () => {
  it('fetches nothing without --download-media, and downloads and prints the media summary with it', async () => {
    const file = exportFile();
    const plain = await runImport([file]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain('Media:');
    expect(asked).toEqual([]);
    expect(post().body_markdown).toContain(uploads('2016/05/photo.jpg'));

    const run = await runImport([file, '--download-media', '--allow-private']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('      3 files downloaded into the media library');
    expect(run.stdout).toContain('      1 posts and pages now link to them here');
    expect(run.stdout).toContain(`  - ${uploads('missing.jpg')}: HTTP 404`);
    expect(post().body_markdown).toContain(`<img src="/uploads/${fileFor('2016/05/photo.jpg')}"`);
  }, 30_000);

  it('says how to use it when --allow-private comes without --download-media', async () => {
    const run = await runImport([exportFile(), '--allow-private']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run import -- FILE [--download-media [--allow-private]]');
    expect(asked).toEqual([]);
  }, 30_000);
});
