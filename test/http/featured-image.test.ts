import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent, editor } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { upload } from '../support/admin-media.js';
import { JPEG, PNG } from '../fixtures/images.js';

let t: TestApp;
let other: TestApp | undefined;
afterEach(() => {
  t?.close();
  other?.close();
  other = undefined;
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
type Agent = Awaited<ReturnType<typeof adminAgent>>['agent'];

/** Uploads an image through the Media screen, as a browser does; returns its media id, address and measured size. */
async function uploadImage(agent: Agent, csrf: string, bytes: Buffer, filename: string, contentType: string) {
  const res = await upload(agent, csrf, bytes, filename, contentType);
  expect(res.status).toBe(303);
  const id = Number(/uploaded=(\d+)/.exec(res.headers.location)![1]);
  const row = t.db.prepare('SELECT file_name AS fileName, width, height FROM media WHERE id = ?').get(id) as
    { fileName: string; width: number; height: number };
  expect(row.width).toBeGreaterThan(0);
  return { id, src: `/uploads/${row.fileName}`, size: `width="${row.width}" height="${row.height}"`, width: row.width, height: row.height };
}

/** Publishes a post through the editor with the given featured image field; returns its id and permalink. */
async function publish(agent: Agent, csrf: string, fields: Record<string, string>) {
  const res = await agent.post('/admin/posts/new/').type('form').send(editor({ _csrf: csrf, status: 'published', ...fields }));
  expect(res.status).toBe(303);
  const id = Number(/\/posts\/(\d+)\/edit\//.exec(res.headers.location)![1]);
  const edit = await agent.get(res.headers.location);
  const permalink = /href="(\/\d{4}\/\d{2}\/\d{2}\/[^"]+\/)"/.exec(edit.text)![1];
  return { id, permalink, edit: edit.text };
}

const rssItem = (xml: string, title: string) => {
  const items = [parser.parse(xml).rss.channel.item].flat() as Record<string, unknown>[];
  return items.find((item) => item.title === title)!;
};
const atomEntry = (xml: string, title: string) => {
  const entries = [parser.parse(xml).feed.entry].flat() as Record<string, unknown>[];
  return entries.find((entry) => entry.title === title)!;
};
const enclosures = (entry: Record<string, unknown>) =>
  [entry.link].flat().filter((link) => (link as Record<string, string>)['@rel'] === 'enclosure') as Record<string, string>[];

describe('a featured image per post', () => {
  it('chosen in the editor, shows on the post page, the home list, og:image, RSS and Atom', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    await uploadImage(agent, csrf, PNG, 'old-map.png', 'image/png');
    const photo = await uploadImage(agent, csrf, JPEG, 'Sawah di Ubud.jpg', 'image/jpeg');

    // The editor offers the library's images by name, newest first.
    const form = (await agent.get('/admin/posts/new/')).text;
    const select = /<select id="featured_image" name="featured_image"[\s\S]*?<\/select>/.exec(form)![0];
    expect(select.indexOf('Sawah di Ubud.jpg')).toBeGreaterThan(0);
    expect(select.indexOf('Sawah di Ubud.jpg')).toBeLessThan(select.indexOf('old-map.png'));

    const { permalink, edit } = await publish(agent, csrf, { title: 'Pagi di Ubud', markdown: 'Kabut di atas sawah.', featured_image: String(photo.id) });
    expect(edit).toMatch(new RegExp(`<option value="${photo.id}" selected>Sawah di Ubud.jpg</option>`));
    expect(edit).toContain(`src="${photo.src}"`);

    // The post page: above the body, its alt the upload's name, not lazy (the page's first image).
    const page = (await request(t.app).get(permalink)).text;
    const image = new RegExp(`<figure class="featured-image"><img src="${photo.src}" alt="Sawah di Ubud" ${photo.size} decoding="async"></figure>`);
    expect(page).toMatch(image);
    expect(page.search(image)).toBeLessThan(page.indexOf('<p>Kabut di atas sawah.</p>'));
    expect(page).toContain(`<meta property="og:image" content="http://blog.test${photo.src}">`);
    expect(page).toContain(`<meta property="og:image:width" content="${photo.width}">`);
    expect(page).toContain(`<meta name="twitter:image" content="http://blog.test${photo.src}">`);
    expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(page).toContain(`"image":"http://blog.test${photo.src}"`);

    // The home list and the archives: a lazy image beside the excerpt, linking to the post.
    for (const path of ['/', '/author/the-administrator/']) {
      const list = (await request(t.app).get(path)).text;
      expect(list).toContain(`<a class="summary-thumbnail" href="${permalink}" aria-hidden="true" tabindex="-1"><img src="${photo.src}" alt="" ${photo.size} loading="lazy" decoding="async"></a>`);
    }

    const rss = rssItem((await request(t.app).get('/feed/')).text, 'Pagi di Ubud');
    expect(rss['media:content']).toEqual({
      '@url': `http://blog.test${photo.src}`, '@medium': 'image', '@type': 'image/jpeg', '@width': String(photo.width), '@height': String(photo.height),
    });
    expect(String(rss['content:encoded'])).toMatch(new RegExp(`^<p><img src="http://blog.test${photo.src}" alt="Sawah di Ubud" ${photo.size}></p>\\s*<p>Kabut di atas sawah.</p>`));
    const atom = atomEntry((await request(t.app).get('/feed/atom/')).text, 'Pagi di Ubud');
    expect(enclosures(atom)).toEqual([{ '@rel': 'enclosure', '@href': `http://blog.test${photo.src}`, '@type': 'image/jpeg' }]);
    expect(String((atom.content as Record<string, string>)['#text'])).toContain(`<img src="http://blog.test${photo.src}" alt="Sawah di Ubud" ${photo.size}>`);
  });

  it('is removed by choosing (none), and a post without one shows none anywhere', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const photo = await uploadImage(agent, csrf, JPEG, 'pantai.jpg', 'image/jpeg');
    const { id, permalink } = await publish(agent, csrf, { title: 'Ke pantai', markdown: 'Ombak.', featured_image: String(photo.id) });
    expect((await request(t.app).get(permalink)).text).toContain(`src="${photo.src}"`);

    const saved = await agent.post(`/admin/posts/${id}/edit/`).type('form')
      .send(editor({ _csrf: csrf, status: 'published', title: 'Ke pantai', markdown: 'Ombak.', featured_image: '' }));
    expect(saved.status).toBe(303);
    expect((await agent.get(saved.headers.location)).text).toContain('<option value="" selected');
    const page = (await request(t.app).get(permalink)).text;
    expect(page).not.toContain(photo.src);
    expect(page).not.toContain('og:image');
    expect(page).toContain('<meta name="twitter:card" content="summary">');
    expect((await request(t.app).get('/')).text).not.toContain(photo.src);
    expect((await request(t.app).get('/feed/')).text).not.toContain(photo.src);
    expect((await request(t.app).get('/feed/atom/')).text).not.toContain(photo.src);
  });

  it('deleting the upload leaves the post without one, on pages already shown', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const photo = await uploadImage(agent, csrf, PNG, 'kucing.png', 'image/png');
    const { id, permalink } = await publish(agent, csrf, { title: 'Kucing kami', markdown: 'Tidur.', featured_image: String(photo.id) });
    // Read once by an anonymous reader, so the page cache holds these pages with the image.
    for (const path of [permalink, '/', '/feed/']) expect((await request(t.app).get(path)).text).toContain(photo.src);

    expect((await agent.post(`/admin/media/${photo.id}/delete/`).type('form').send({ _csrf: csrf })).status).toBe(303);
    for (const path of [permalink, '/', '/feed/']) {
      const res = await request(t.app).get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(photo.src);
    }
    const edit = (await agent.get(`/admin/posts/${id}/edit/`)).text;
    expect(edit).toContain('<option value="" selected');
    expect(edit).not.toContain(photo.src);
  });

  it('refuses an id outside the media library with 422, the form kept as typed', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t, 'author');
    const photo = await uploadImage(agent, csrf, PNG, 'kopi.png', 'image/png');
    // An attachment imported from WordPress may be a document: it is in the library, but not an image to feature.
    const user = t.db.prepare("SELECT id FROM users WHERE role = 'author'").pluck().get();
    const pdf = Number(t.db.prepare(`INSERT INTO media (source_url, original_name, title, mime, size, uploaded_by)
      VALUES ('https://old.example/menu.pdf', 'menu.pdf', 'Menu', 'application/pdf', 0, ?)`).run(user).lastInsertRowid);
    expect((await agent.get('/admin/posts/new/')).text).not.toContain(`<option value="${pdf}"`);
    for (const bogus of [String(photo.id + 1000), String(pdf), 'abc', '-1', `${photo.id} OR 1=1`, '99999999999999999999']) {
      const res = await agent.post('/admin/posts/new/').type('form')
        .send(editor({ _csrf: csrf, status: 'published', title: 'Kopi pagi', markdown: 'Hitam, tanpa gula.', featured_image: bogus }));
      expect(res.status).toBe(422);
      expect(res.text).toContain('Choose an image from the media library.');
      expect(res.text).toContain('value="Kopi pagi"');
      expect(res.text).toContain('Hitam, tanpa gula.');
      expect(res.text).toMatch(/<select id="featured_image" name="featured_image" aria-describedby="featured-help featured-error" aria-invalid="true">/);
    }
    expect(t.db.prepare("SELECT count(*) FROM posts WHERE title = 'Kopi pagi'").pluck().get()).toBe(0);
    // An author picks from the library like anyone: an image the author did not upload is theirs to feature too.
    const { agent: admin, csrf: adminCsrf } = await adminAgent(t, 'administrator', 'boss@example.org');
    const theirs = await uploadImage(admin, adminCsrf, JPEG, 'logo.jpg', 'image/jpeg');
    const { permalink } = await publish(agent, csrf, { title: 'Kopi sore', markdown: 'Susu.', featured_image: String(theirs.id) });
    expect((await request(t.app).get(permalink)).text).toContain(`<img src="${theirs.src}" alt="logo"`);
  });

  it('keeps a protected post’s image behind its password: not in lists, feeds or og:image, nor on the locked page', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const photo = await uploadImage(agent, csrf, JPEG, 'keluarga.jpg', 'image/jpeg');
    const { id, permalink } = await publish(agent, csrf, {
      title: 'Foto keluarga', markdown: 'Untuk keluarga.', featured_image: String(photo.id), visibility: 'password', post_password: 'rahasia',
    });
    for (const path of [permalink, '/', '/feed/', '/feed/atom/']) {
      const res = await request(t.app).get(path);
      expect(res.text).toContain('Foto keluarga');
      expect(res.text).not.toContain(photo.src);
    }
    // The reader who types the password sees it above the body.
    const reader = request.agent(t.app);
    const unlocked = await reader.post('/post-password/').set('Sec-Fetch-Site', 'same-origin').type('form')
      .send({ post_id: String(id), post_password: 'rahasia' });
    expect(unlocked.status).toBe(303);
    expect((await reader.get(permalink)).text).toContain(`<figure class="featured-image"><img src="${photo.src}"`);
  });
});

describe('a featured image through a WordPress export (_thumbnail_id)', () => {
  it('the export names the attachment, and importing it features that attachment again', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const photo = await uploadImage(agent, csrf, JPEG, 'Gunung Batur.jpg', 'image/jpeg');
    await publish(agent, csrf, { title: 'Mendaki Batur', markdown: 'Subuh di puncak.', featured_image: String(photo.id) });
    await publish(agent, csrf, { title: 'Tanpa gambar', markdown: 'Hanya kata.' });

    const xml = [...t.services.wxrExport.document()].join('');
    const items = [parser.parse(xml).rss.channel.item].flat() as Record<string, unknown>[];
    const meta = (item: Record<string, unknown>) =>
      Object.fromEntries(([item['wp:postmeta'] ?? []].flat() as { 'wp:meta_key': string; 'wp:meta_value': unknown }[])
        .map((m) => [m['wp:meta_key'], String(m['wp:meta_value'])]));
    const hiking = items.find((item) => item.title === 'Mendaki Batur')!;
    const attachment = items.find((item) => item['wp:post_type'] === 'attachment' && String(item['wp:post_id']) === meta(hiking)._thumbnail_id);
    expect(attachment?.['wp:attachment_url']).toBe(`http://blog.test${photo.src}`);
    expect(meta(items.find((item) => item.title === 'Tanpa gambar')!)._thumbnail_id).toBeUndefined();

    other = makeTestApp({ seed: false });
    const file = path.join(other.dir, 'export.xml');
    fs.writeFileSync(file, xml);
    const summary = await other.services.wxrImport(file);
    expect(summary.imported.attachments).toBe(1);
    const imported = other.db.prepare(`SELECT slug, published_at AS publishedAt, featured_media_id AS featured,
        (SELECT source_url FROM media WHERE media.id = posts.featured_media_id) AS src FROM posts WHERE title = ?`);
    const post = imported.get('Mendaki Batur') as { slug: string; featured: number; src: string };
    expect(post.src).toBe(`http://blog.test${photo.src}`);
    expect((imported.get('Tanpa gambar') as { featured: number | null }).featured).toBeNull();
    // Until its file is downloaded, the imported attachment is shown from its old address.
    const home = (await request(other.app).get('/')).text;
    expect(home).toContain(`<img src="http://blog.test${photo.src}" alt=""`);
  });
});
