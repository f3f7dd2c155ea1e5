import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { wordpressComZip } from '../support/wxr-fixtures.js';

const CORNERS = path.join(import.meta.dirname, '../fixtures/wxr/corners.wxr.xml');

let t: TestApp;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-wxr-import-'));
afterEach(() => t.close());

/** A minimal WXR 1.2 file holding the given items (raw XML). */
function wxrFile(name: string, items: string, channelExtra = '') {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><link>https://old.example</link><description></description><language>id-ID</language>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example</wp:base_site_url><wp:base_blog_url>https://old.example</wp:base_blog_url>
${channelExtra}${items}</channel></rss>
`);
  return file;
}

const item = (fields: { id: number; title: string; slug: string; content: string; link?: string; comments?: string; status?: string }) => `
<item><title><![CDATA[${fields.title}]]></title><link>${fields.link ?? ''}</link><dc:creator><![CDATA[admin]]></dc:creator>
<guid isPermaLink="false">https://old.example/?p=${fields.id}</guid><content:encoded><![CDATA[${fields.content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>${fields.id}</wp:post_id>
<wp:post_date><![CDATA[2016-05-12 10:00:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2016-05-12 03:00:00]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[open]]></wp:comment_status><wp:post_name><![CDATA[${fields.slug}]]></wp:post_name>
<wp:status><![CDATA[${fields.status ?? 'publish'}]]></wp:status><wp:post_parent>0</wp:post_parent><wp:post_type><![CDATA[post]]></wp:post_type>
<wp:post_password><![CDATA[]]></wp:post_password><wp:is_sticky>0</wp:is_sticky>${fields.comments ?? ''}</item>`;

const comment = (id: number, parent: number, content: string, approved = '1') => `
<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Tamu]]></wp:comment_author>
<wp:comment_author_email><![CDATA[tamu@example.org]]></wp:comment_author_email><wp:comment_author_url>javascript:alert(1)</wp:comment_author_url>
<wp:comment_author_IP><![CDATA[10.0.0.9]]></wp:comment_author_IP><wp:comment_date><![CDATA[2016-05-13 10:00:00]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[2016-05-13 03:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[${content}]]></wp:comment_content>
<wp:comment_approved><![CDATA[${approved}]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type>
<wp:comment_parent>${parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>`;

/** Every row of the tables an import writes, to compare before and after. */
const snapshot = () => Object.fromEntries(['posts', 'comments', 'terms', 'post_terms', 'users', 'media', 'wp_origins', 'post_redirects']
  .map((table) => [table, t.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]));

const postBySlug = (slug: string) => t.db.prepare('SELECT * FROM posts WHERE slug = ?').get(slug) as Record<string, unknown> | undefined;

describe('importing a WordPress export', () => {
  it('brings every post, page, term, author, attachment and comment of the corners file, as WordPress showed them', async () => {
    t = makeTestApp();
    const summary = await t.services.wxrImport(CORNERS);
    expect(summary.imported).toEqual({ posts: 6, pages: 2, attachments: 1, categories: 5, tags: 2, authors: 2, comments: 8 });
    expect(summary.skipped.comments).toEqual({ 'pingbacks are not kept': 1 });
    expect(summary.channel).toEqual({ title: 'Catatan IMers', tagline: 'Cerita & kiat dari komunitas IMers', language: 'id-ID' });

    // Names and titles escaped once more by WordPress are decoded once, and escaped once on the page.
    const seo = await request(t.app).get('/2024/03/15/seo-sosmed-untuk-blog-kecil/').expect(200);
    expect(seo.text).toContain('SEO &amp; Sosmed untuk Blog Kecil 🚀');
    expect(seo.text).not.toContain('&amp;amp;');
    // The old /%postname%/ link answers 301 to the new address; WordPress's /?p=ID too.
    await request(t.app).get('/seo-sosmed-untuk-blog-kecil/').expect(301).expect('Location', '/2024/03/15/seo-sosmed-untuk-blog-kecil/');
    await request(t.app).get('/?p=11').expect(301).expect('Location', '/2024/03/15/seo-sosmed-untuk-blog-kecil/');

    // Block-editor HTML kept as HTML, the table and its caption, nothing of the editor's comments.
    const moving = postBySlug('cara-pindah')!;
    expect(moving.source_format).toBe('html');
    expect(moving.sticky).toBe(1);
    expect(moving.body_html).toContain('<figcaption>Perkiraan waktu</figcaption>');
    expect(moving.body_html).not.toContain('wp:paragraph');
    expect(moving.body_html).toContain('<code>$a[$b[0]]&gt;1</code>');

    // Statuses: a draft with an empty slug gets one; a trashed post keeps what it was and the address it wanted.
    expect(postBySlug('draf-tanpa-judul-tautan')).toMatchObject({ status: 'draft', published_at: null });
    expect(postBySlug('berita-lama__trashed')).toMatchObject({ status: 'trash', status_before_trash: 'published' });
    expect(postBySlug('khusus-anggota')!.password).not.toBeNull();

    // A page with a child page: the child answers at /parent/child/.
    expect((await request(t.app).get('/tentang/tim/').expect(200)).text).toContain('Tim Kami');

    // Categories three deep keep their parents; a category and a tag with the same slug stay apart.
    const parentOf = (slug: string) => t.db.prepare(`SELECT p.slug FROM terms c JOIN terms p ON p.id = c.parent_id WHERE c.taxonomy = 'category' AND c.slug = ?`).pluck().get(slug);
    expect([parentOf('wordpress'), parentOf('web'), parentOf('teknologi')]).toEqual(['web', 'teknologi', undefined]);
    expect(t.db.prepare("SELECT taxonomy FROM terms WHERE slug = 'wordpress' ORDER BY taxonomy").pluck().all()).toEqual(['category', 'tag']);

    // Comments: threads five deep, parents before children whatever the file's order; pending, spam and trash kept as such.
    const comments = t.db.prepare('SELECT id, parent_id AS parentId, status FROM comments WHERE post_id = ? ORDER BY id').all(moving.id) as { id: number; parentId: number | null; status: string }[];
    const depth = (id: number): number => {
      const parent = comments.find((c) => c.id === id)!.parentId;
      return parent === null ? 1 : 1 + depth(parent);
    };
    expect(Math.max(...comments.map((c) => depth(c.id)))).toBe(5);
    expect(comments.map((c) => c.status).sort()).toEqual(['approved', 'approved', 'approved', 'approved', 'approved', 'pending', 'spam', 'trash']);

    // The attachment is a media entry at its old address, attached to its post.
    expect(t.db.prepare('SELECT source_url, file_name, post_id FROM media').get()).toMatchObject({ file_name: null, post_id: moving.id });
  });

  it('keeps the WordPress address of a post whose slug is not in ASCII, and answers its old link with a 301', async () => {
    t = makeTestApp();
    // The blog had "post name" permalinks: the old link is /東京/, the post's address here carries its date.
    const link = 'https://old.example/%e6%9d%b1%e4%ba%ac/';
    await t.services.wxrImport(wxrFile('tokyo.xml', item({ id: 7, title: '東京', slug: '%e6%9d%b1%e4%ba%ac', content: 'Tokyo.', link })));
    const address = (await request(t.app).get('/?p=7').expect(301)).headers.location;
    expect(address).toBe('/2016/05/12/%e6%9d%b1%e4%ba%ac/');
    expect((await request(t.app).get(address).expect(200)).text).toContain('Tokyo.');
    for (const path of ['/%e6%9d%b1%e4%ba%ac/', '/%E6%9D%B1%E4%BA%AC/']) {
      await request(t.app).get(path).expect(301).expect('Location', address);
    }
    // A path that is no valid percent-encoding is a bad request, as before, not a server error.
    await request(t.app).get('/2016/05/12/%e6%9d/').expect(400);
    await request(t.app).get('/%e6%9d/').expect(400);
  });

  it('keeps a category whose WordPress slug is not in ASCII, with its posts, at the same address', async () => {
    t = makeTestApp();
    const category = '<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[%e6%97%a5%e6%9c%ac]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[日本]]></wp:cat_name></wp:category>';
    const filed = item({ id: 8, title: 'Ramen', slug: 'ramen', content: 'Ramen.' })
      .replace('</item>', '<category domain="category" nicename="%e6%97%a5%e6%9c%ac"><![CDATA[日本]]></category></item>');
    const summary = await t.services.wxrImport(wxrFile('japan.xml', filed, category));
    expect(summary.imported.categories).toBe(1);
    const archive = await request(t.app).get('/category/%e6%97%a5%e6%9c%ac/').expect(200);
    expect(archive.text).toContain('日本');
    expect(archive.text).toContain('Ramen');
  });

  it('gives a trashed item back its WordPress status and address when it is restored', async () => {
    t = makeTestApp();
    await t.services.wxrImport(CORNERS);
    const { agent, csrf } = await adminAgent(t);
    await agent.post(`/admin/posts/${postBySlug('berita-lama__trashed')!.id}/restore/`).type('form').send({ _csrf: csrf }).expect(303);
    expect(postBySlug('berita-lama')).toMatchObject({ status: 'published', status_before_trash: null });
    expect((await request(t.app).get('/2024/02/10/berita-lama/').expect(200)).text).toContain('Berita Lama');
  });

  it('matches an author to the account here with the same email, and gives the others accounts without a password', async () => {
    t = makeTestApp();
    const { user } = await adminAgent(t, 'administrator', 'AYU@imers.example');
    const summary = await t.services.wxrImport(CORNERS);
    expect(summary.imported.authors).toBe(1);
    expect(summary.skipped.authors).toEqual({ 'matched to an account here by email': 1 });
    const authorOf = (slug: string) => t.db.prepare('SELECT u.id, u.display_name AS name, u.password_hash AS hash FROM posts p JOIN users u ON u.id = p.author_id WHERE p.slug = ?').get(slug) as { id: number; name: string; hash: string | null };
    expect(authorOf('cara-pindah').id).toBe(user.id);
    expect(authorOf('seo-sosmed-untuk-blog-kecil')).toMatchObject({ name: 'Budi & Tim', hash: null });
  });

  it('imports every XML file of a WordPress.com zip', async () => {
    t = makeTestApp();
    const zip = await wordpressComZip(path.join(dir, 'export.zip'));
    const summary = await t.services.wxrImport(zip);
    expect(summary.imported).toMatchObject({ posts: 1, pages: 1 });
    expect(t.db.prepare("SELECT count(*) FROM posts WHERE source_format = 'html'").pluck().get()).toBe(2);
  });

  it('leaves pages whose parents loop, or nest deeper than a page may, at the top level, and says so', async () => {
    t = makeTestApp();
    const page = (id: number, parent: number) => item({ id, title: `Laman ${id}`, slug: `laman-${id}`, content: '<p>x</p>' })
      .replace('<wp:post_parent>0</wp:post_parent>', `<wp:post_parent>${parent}</wp:post_parent>`)
      .replace('<![CDATA[post]]></wp:post_type>', '<![CDATA[page]]></wp:post_type>');
    // 100 ↔ 101 loop; 200 ← 201 ← … ← 211: twelve levels.
    const chain = Array.from({ length: 12 }, (_, i) => page(200 + i, i === 0 ? 0 : 199 + i)).join('');
    const summary = await t.services.wxrImport(wxrFile('loops.xml', page(100, 101) + page(101, 100) + chain));
    const parentOf = (slug: string) => postBySlug(slug)!.parent_id;
    expect([parentOf('laman-100'), parentOf('laman-101')]).toEqual([null, null]);
    expect(parentOf('laman-209')).not.toBeNull();
    expect([parentOf('laman-210'), parentOf('laman-211')]).toEqual([null, null]);
    expect(summary.notes.filter((n) => n.includes('loop or nest deeper'))).toHaveLength(4);
    await request(t.app).get('/laman-200/laman-201/laman-202/laman-203/laman-204/laman-205/laman-206/laman-207/laman-208/laman-209/').expect(200);
  });

  it('reads a post\'s date from its UTC field, or from its local one in this blog\'s time zone when that is empty or zero', async () => {
    t = makeTestApp();
    t.services.settings.update({ timeZone: 'Asia/Jakarta' });
    const dated = (id: number, slug: string, gmt: string) => item({ id, title: slug, slug, content: '<p>x</p>' })
      .replace('<wp:post_date_gmt><![CDATA[2016-05-12 03:00:00]]></wp:post_date_gmt>', `<wp:post_date_gmt><![CDATA[${gmt}]]></wp:post_date_gmt>`)
      .replace('<wp:post_date><![CDATA[2016-05-12 10:00:00]]>', '<wp:post_date><![CDATA[2016-05-12 10:00:00]]>');
    await t.services.wxrImport(wxrFile('dates.xml', dated(1, 'utc', '2016-05-12 01:30:00') + dated(2, 'nol', '0000-00-00 00:00:00') + dated(3, 'kosong', '')));
    expect(['utc', 'nol', 'kosong'].map((slug) => postBySlug(slug)!.published_at)).toEqual([
      '2016-05-12T01:30:00.000Z', '2016-05-12T03:00:00.000Z', '2016-05-12T03:00:00.000Z',
    ]);
  });

  it('changes nothing when the same file is imported again', async () => {
    t = makeTestApp();
    await t.services.wxrImport(CORNERS);
    const before = snapshot();
    const again = await t.services.wxrImport(CORNERS);
    expect(snapshot()).toEqual(before);
    expect(again.imported).toEqual({ posts: 0, pages: 0, attachments: 0, categories: 0, tags: 0, authors: 0, comments: 0 });
    expect(again.skipped.posts).toEqual({ 'already imported': 6 });
  });

  it('sanitizes what it brings exactly as if it had been written here', async () => {
    t = makeTestApp();
    const file = wxrFile('hostile.xml', item({
      id: 5, title: 'Judul <script>alert(1)</script>', slug: 'jahat',
      content: '<p onclick="x()">Isi</p><script>alert(2)</script><img src="javascript:alert(3)"><a href="https://ok.example">ok</a>',
      comments: comment(1, 0, 'Komentar <script>alert(4)</script> <b>tebal</b> & lagi &copy2020'),
    }));
    await t.services.wxrImport(file);
    const post = postBySlug('jahat')!;
    expect(post.body_html).not.toMatch(/script|onclick|javascript/);
    expect(post.body_html).toContain('<a href="https://ok.example">ok</a>');
    const stored = t.db.prepare('SELECT body_html AS html, author_url AS url FROM comments').get() as { html: string; url: string };
    expect(stored.html).toBe('<p>Komentar  <b>tebal</b> &amp; lagi &amp;copy2020</p>');
    expect(stored.url).toBe('');
    const page = await request(t.app).get('/2016/05/12/jahat/').expect(200);
    expect(page.text).toContain('Judul &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('stops on a malformed or cut-short file, naming the line, and leaves the database as it was', async () => {
    t = makeTestApp();
    const before = snapshot();
    const good = item({ id: 1, title: 'Satu', slug: 'satu', content: '<p>a</p>' });
    const broken = wxrFile('broken.xml', `${good}\n<item><title>Dua</wrong></item>`);
    await expect(t.services.wxrImport(broken)).rejects.toThrow(/broken\.xml, line \d+/);
    const full = fs.readFileSync(wxrFile('whole.xml', `${good}${item({ id: 2, title: 'Dua', slug: 'dua', content: '<p>b</p>' })}`), 'utf8');
    const cut = path.join(dir, 'cut.xml');
    fs.writeFileSync(cut, full.slice(0, full.length - 200));
    await expect(t.services.wxrImport(cut)).rejects.toThrow(/line \d+/);
    await expect(t.services.wxrImport(path.join(import.meta.dirname, '../../package.json'))).rejects.toThrow();
    expect(snapshot()).toEqual(before);
  });

  it('puts the imported first article in place of the untouched one this blog was installed with', async () => {
    t = makeTestApp();
    const title = t.db.prepare('SELECT title FROM posts WHERE slug = ?').pluck().get('trend-life-style-menjadi-pasangan-imers') as string;
    const file = wxrFile('imers.xml', item({
      id: 7, title, slug: 'trend-life-style-menjadi-pasangan-imers', content: '<p>Versi WordPress.</p>',
      link: 'https://old.example/2016/05/12/trend-life-style-menjadi-pasangan-imers/', comments: comment(1, 0, 'Dari WordPress'),
    }));
    const summary = await t.services.wxrImport(file);
    expect(t.db.prepare('SELECT count(*) FROM posts WHERE title = ?').pluck().get(title)).toBe(1);
    const page = await request(t.app).get(SEED_PATH).expect(200);
    expect(page.text).toContain('Versi WordPress.');
    expect(page.text).toContain('Dari WordPress');
    expect(summary.notes.join('\n')).toContain('replaced the same article this blog was installed with');
  });

  it('gives the imported first article a new address when the installed one was edited since', async () => {
    t = makeTestApp();
    const seed = t.db.prepare("SELECT id, title FROM posts WHERE slug = 'trend-life-style-menjadi-pasangan-imers'").get() as { id: number; title: string };
    t.db.prepare("UPDATE posts SET updated_at = '2030-01-01T00:00:00.000Z' WHERE id = ?").run(seed.id);
    const summary = await t.services.wxrImport(wxrFile('imers-edited.xml', item({ id: 7, title: seed.title, slug: 'trend-life-style-menjadi-pasangan-imers', content: '<p>Versi WordPress.</p>' })));
    expect(postBySlug('trend-life-style-menjadi-pasangan-imers')!.id).toBe(seed.id);
    expect(postBySlug('trend-life-style-menjadi-pasangan-imers-2')!.body_html).toContain('Versi WordPress.');
    expect(summary.notes.join('\n')).toContain('was taken here, so it is at trend-life-style-menjadi-pasangan-imers-2');
  });
});

describe('the admin Import screen', () => {
  it('imports an uploaded export for an administrator, shows its progress page and then the summary', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await agent.get('/admin/import/').expect(200)).text).toContain('enctype="multipart/form-data"');
    const started = await agent.post('/admin/import/').field('_csrf', csrf).attach('file', CORNERS).expect(303);
    const jobPage = started.headers.location;
    expect(jobPage).toMatch(/^\/admin\/import\/[\w-]+\/$/);
    let page = await agent.get(jobPage).expect(200);
    for (let i = 0; i < 100 && page.text.includes('http-equiv="refresh"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      page = await agent.get(jobPage).expect(200);
    }
    expect(page.text).toContain('The import has finished.');
    expect(page.text).toContain('<h1>Imported corners.wxr.xml</h1>');
    expect(page.text).toMatch(/<th scope="row">Comments<\/th><td>8<\/td>/);
    expect(page.headers['cache-control']).toContain('no-store');
    // The WordPress blog's title is offered, never applied by itself.
    expect((await request(t.app).get('/').expect(200)).text).not.toContain('Catatan IMers');
    await agent.post(`${jobPage}use-title/`).type('form').send({ _csrf: csrf }).expect(303);
    expect((await request(t.app).get('/').expect(200)).text).toContain('Catatan IMers');
  });

  it('says why nothing was imported from a broken upload, naming the uploaded file and the line', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    const broken = path.join(import.meta.dirname, '../fixtures/wxr/malformed.wxr.xml');
    const started = await agent.post('/admin/import/').field('_csrf', csrf).attach('file', broken, 'my-blog.xml').expect(303);
    let page = await agent.get(started.headers.location).expect(200);
    for (let i = 0; i < 100 && page.text.includes('http-equiv="refresh"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      page = await agent.get(started.headers.location).expect(200);
    }
    expect(page.text).toMatch(/Nothing was imported: my-blog\.xml, line \d+/);
    expect(t.db.prepare('SELECT count(*) FROM wp_origins').pluck().get()).toBe(0);
  });

  it('is for administrators only, and refuses an upload without the form token', async () => {
    t = makeTestApp();
    await request(t.app).get('/admin/import/').expect(303);
    const author = await adminAgent(t, 'author', 'author@example.org');
    await author.agent.get('/admin/import/').expect(403);
    const admin = await adminAgent(t, 'administrator', 'root@example.org');
    await admin.agent.post('/admin/import/').field('_csrf', 'forged').attach('file', CORNERS).expect(403);
    const missing = await admin.agent.post('/admin/import/').field('_csrf', admin.csrf).expect(422);
    expect(missing.text).toContain('Choose the export file to import.');
    expect(t.db.prepare('SELECT count(*) FROM wp_origins').pluck().get()).toBe(0);
  });
});
