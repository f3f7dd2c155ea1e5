import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFragment, type DefaultTreeAdapterTypes } from 'parse5';
import sharp from 'sharp';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/container.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { migrationsDir } from '../../src/paths.js';
import { measureImages, rerender } from '../../src/rerender.js';
import { settleHtml } from '../../src/services/html-fixed-point.js';
import { sanitizePostHtml } from '../../src/services/markdown.js';
import { adminAgent, editor } from '../support/admin.js';
import { mediaChecks, upload } from '../support/admin-media.js';
import { makeTestApp, TEST_SECRET, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
let old: { dir: string; db: Db } | undefined;
afterEach(() => {
  t?.close();
  old?.db.close();
  if (old) fs.rmSync(old.dir, { recursive: true, force: true });
  t = old = undefined;
});
const { storedFiles, rows } = mediaChecks(() => t!);

/** A photo of the given size: two colours, so each encoder has something to keep. */
async function photo(width: number, height: number, format: 'jpeg' | 'png') {
  const half = await sharp({ create: { width: Math.ceil(width / 2), height, channels: 3, background: 'navy' } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: 'orange' } }).composite([{ input: half, left: 0, top: 0 }])[format]().toBuffer();
}

type Element = DefaultTreeAdapterTypes.Element;
/** The elements of a page's post content, as a browser reads them. */
function elements(html: string, tagName: string): Record<string, string>[] {
  const article = /<div class="entry-content">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  const found: Record<string, string>[] = [];
  const walk = (node: DefaultTreeAdapterTypes.ParentNode) => {
    for (const child of node.childNodes) {
      if (!('tagName' in child)) continue;
      if (child.tagName === tagName) found.push(Object.fromEntries((child as Element).attrs.map((a) => [a.name, a.value])));
      walk(child);
    }
  };
  walk(parseFragment(article));
  return found;
}

/** A srcset's candidates as [address, width]. */
const candidates = (srcset: string) => srcset.split(', ').map((c) => c.split(' ')).map(([url, w]) => [url, Number(w.slice(0, -1))]);

const base = (fileName: string) => fileName.replace(/\.\w+$/, '');

async function uploadPhoto(agent: Parameters<typeof upload>[0], csrf: string, bytes: Buffer, name: string, mime: string) {
  expect((await upload(agent, csrf, bytes, name, mime)).status).toBe(303);
  return rows().at(-1)!;
}

describe('responsive images', () => {
  it('gives an upload copies at the smaller widths, in WebP and its own format, beside it and served like it', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const jpeg = await uploadPhoto(agent, csrf, await photo(2000, 1000, 'jpeg'), 'wide.jpg', 'image/jpeg');
    const png = await uploadPhoto(agent, csrf, await photo(1000, 600, 'png'), 'chart.png', 'image/png');

    // [file, format, width, height]: no wider than the original; the PNG also gets a WebP at its own width, since it
    // is not wider than the widest copy.
    const copies = (fileName: string, extension: string, widths: number[], ratio: number) =>
      widths.flatMap((w) => [[`${base(fileName)}-${w}.${extension}`, extension], [`${base(fileName)}-${w}.webp`, 'webp']]
        .map(([name, format]) => ({ name, format: format === 'jpg' ? 'jpeg' : format, width: w, height: Math.round(w * ratio) })));
    const expected = [
      ...copies(jpeg.fileName, 'jpg', [480, 768, 1200, 1600], 0.5),
      ...copies(png.fileName, 'png', [480, 768], 0.6),
      { name: `${base(png.fileName)}-1000.webp`, format: 'webp', width: 1000, height: 600 },
    ];
    expect(storedFiles().sort()).toEqual([jpeg.fileName, png.fileName, ...expected.map((c) => c.name)].sort());
    for (const { name, format, width, height } of expected) {
      const served = await request(t.app).get(`/uploads/${name}`);
      expect(served.status).toBe(200);
      expect(served.headers['content-type']).toBe(`image/${format}`);
      const meta = await sharp(served.body as Buffer).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format, width, height });
    }
    expect(t.db.prepare('SELECT width, height FROM media ORDER BY id').all()).toEqual([{ width: 2000, height: 1000 }, { width: 1000, height: 600 }]);
  });

  it('publishes a post with srcset, sizes, width and height for its uploads, the first image not lazy, external images left alone', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const jpeg = await uploadPhoto(agent, csrf, await photo(2000, 1000, 'jpeg'), 'wide.jpg', 'image/jpeg');
    const png = await uploadPhoto(agent, csrf, await photo(1000, 600, 'png'), 'chart.png', 'image/png');
    const markdown = `![Wide](/uploads/${jpeg.fileName})\n\nText.\n\n![Chart](/uploads/${png.fileName})\n\n![Elsewhere](https://elsewhere.example/cat.jpg)\n`;
    const saved = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, title: 'Pictures', slug: 'pictures', markdown, status: 'published' }));
    expect(saved.status).toBe(303);
    const post = t.db.prepare("SELECT published_at AS at, body_html AS html FROM posts WHERE slug = 'pictures'").get() as { at: string; html: string };
    const page = await request(t.app).get(`/${post.at.slice(0, 10).replace(/-/g, '/')}/pictures/`);
    expect(page.status).toBe(200);

    const [wide, chart, external] = elements(page.text, 'img');
    const sizes = '(max-width: 704px) calc(100vw - 40px), 664px';
    expect(wide).toMatchObject({ src: `/uploads/${jpeg.fileName}`, alt: 'Wide', width: '2000', height: '1000', loading: 'eager', sizes });
    expect(candidates(wide.srcset)).toEqual([
      ...[480, 768, 1200, 1600].map((w) => [`/uploads/${base(jpeg.fileName)}-${w}.jpg`, w]), [`/uploads/${jpeg.fileName}`, 2000],
    ]);
    expect(chart).toMatchObject({ width: '1000', height: '600', loading: 'lazy', sizes });
    expect(candidates(chart.srcset)).toEqual([
      [`/uploads/${base(png.fileName)}-480.png`, 480], [`/uploads/${base(png.fileName)}-768.png`, 768], [`/uploads/${png.fileName}`, 1000],
    ]);
    // Browsers that take WebP get the WebP copies, through the <picture> around each upload.
    const [wideWebp, chartWebp] = elements(page.text, 'source');
    expect(wideWebp).toMatchObject({ type: 'image/webp', sizes });
    expect(candidates(wideWebp.srcset)).toEqual([480, 768, 1200, 1600].map((w) => [`/uploads/${base(jpeg.fileName)}-${w}.webp`, w]));
    expect(candidates(chartWebp.srcset)).toEqual([480, 768, 1000].map((w) => [`/uploads/${base(png.fileName)}-${w}.webp`, w]));
    expect(elements(page.text, 'picture')).toHaveLength(2);
    // Not an upload: no sizes to give it, only lazy loading.
    expect(external).toEqual({ src: 'https://elsewhere.example/cat.jpg', alt: 'Elsewhere', loading: 'lazy', decoding: 'async' });
    // Stored sanitized and settled: the sanitizer and a browser's parser keep it as it is.
    expect(settleHtml(post.html, sanitizePostHtml)).toBe(post.html);
    // A feed reader has no page address to resolve against: every candidate in the feeds is absolute too.
    for (const feedPath of ['/feed/', '/feed/atom/']) {
      const feed = (await request(t.app).get(feedPath).expect(200)).text;
      expect(feed).toContain(`/uploads/${base(jpeg.fileName)}-480.webp 480w`);
      expect(feed, feedPath).not.toMatch(/(?:"|&quot;|,\s*)\/uploads\//);
    }
  });

  it('keeps an animated GIF animated in its copies', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const frame = (background: string) => sharp({ create: { width: 600, height: 100, channels: 3, background } }).png().toBuffer();
    const gif = await sharp([await frame('red'), await frame('blue')], { join: { animated: true } }).gif({ delay: [100, 200], loop: 0 }).toBuffer();
    const row = await uploadPhoto(agent, csrf, gif, 'dance.gif', 'image/gif');
    for (const name of [`${base(row.fileName)}-480.gif`, `${base(row.fileName)}-480.webp`, `${base(row.fileName)}-600.webp`]) {
      const served = await request(t.app).get(`/uploads/${name}`);
      expect(served.status).toBe(200);
      expect(await sharp(served.body as Buffer).metadata()).toMatchObject({ pages: 2, width: name.includes('-480.') ? 480 : 600, delay: [100, 200] });
    }
  });

  it('deletes the copies with the upload', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const jpeg = await uploadPhoto(agent, csrf, await photo(900, 900, 'jpeg'), 'square.jpg', 'image/jpeg');
    expect(storedFiles()).toHaveLength(6);
    const res = await agent.post(`/admin/media/${jpeg.id}/delete/`).type('form').send({ _csrf: csrf });
    expect(res.status).toBe(303);
    expect(storedFiles()).toEqual([]);
    expect((await request(t.app).get(`/uploads/${base(jpeg.fileName)}-480.webp`)).status).toBe(404);
  });

  it('measures the uploads of a blog from before migration 0016 at its next start and gives its existing posts srcset', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-sizes-'));
    const before = path.join(dir, 'migrations');
    fs.mkdirSync(before);
    for (const file of fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql') && f < '0016_image_sizes.sql')) {
      fs.copyFileSync(path.join(migrationsDir, file), path.join(before, file));
    }
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path.join(dir, 'blog.db'), PUBLIC_URL: 'http://blog.test' });
    const db = openDatabase(config.databasePath);
    old = { dir, db };
    migrate(db, before);
    // What the blog held: an upload in the folder, and a post showing it as the old renderer stored it.
    const fileName = `${'ab'.repeat(16)}.jpg`;
    fs.mkdirSync(config.uploadsDir, { recursive: true });
    fs.writeFileSync(path.join(config.uploadsDir, fileName), await photo(1300, 650, 'jpeg'));
    const authorId = db.prepare("INSERT INTO users (login, display_name, role) VALUES ('old', 'Old Author', 'author')").run().lastInsertRowid;
    db.prepare("INSERT INTO media (file_name, original_name, mime, size, uploaded_by) VALUES (?, 'old.jpg', 'image/jpeg', 1, ?)").run(fileName, authorId);
    db.prepare(`INSERT INTO posts (type, status, slug, title, body_markdown, body_html, body_text, excerpt_html, author_id, published_at, preview_key)
      VALUES ('post', 'published', 'old-photo', 'Old photo', ?, ?, '', '', ?, '2021-03-04T05:00:00.000Z', 'key')`)
      .run(`![Old](/uploads/${fileName})`, `<p><img src="/uploads/${fileName}" alt="Old" loading="lazy" /></p>\n`, authorId);

    // What src/main.ts does at start-up.
    migrate(db, migrationsDir);
    const services = createServices(db, config, TEST_SECRET);
    const log: string[] = [];
    await measureImages(services, (line) => log.push(line));
    rerender(services, (line) => log.push(line));
    expect(log[0]).toBe('Uploads measured and copied at smaller widths: 1 (unreadable, left as they were: 0)');

    const app = createApp({ config, services, secret: TEST_SECRET, sessionStore: new SqliteSessionStore(db), limiters: sqliteLimiters(db) });
    const page = await request(app).get('/2021/03/04/old-photo/');
    const [img] = elements(page.text, 'img');
    expect(img).toMatchObject({ src: `/uploads/${fileName}`, width: '1300', height: '650', loading: 'eager' });
    expect(candidates(img.srcset)).toEqual([
      [`/uploads/${base(fileName)}-480.jpg`, 480], [`/uploads/${base(fileName)}-768.jpg`, 768], [`/uploads/${base(fileName)}-1200.jpg`, 1200], [`/uploads/${fileName}`, 1300],
    ]);
    expect((await request(app).get(`/uploads/${base(fileName)}-1200.webp`)).headers['content-type']).toBe('image/webp');

    // Done once: the next start measures nothing again.
    const again: string[] = [];
    await measureImages(services, (line) => again.push(line));
    expect(again).toEqual([]);
  });
});
