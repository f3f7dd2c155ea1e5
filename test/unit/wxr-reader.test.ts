import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { createBareAmpersandCheck } from '../../src/wxr/bare-ampersand.js';
import { readWxr } from '../../src/wxr/reader.js';
import { WxrError, type WxrAuthor, type WxrItem, type WxrRecord, type WxrTerm } from '../../src/wxr/types.js';
import { readAll, tempDir, wordpressComZip, writeLargeWxr, writeZip, wxrFixture } from '../support/wxr-fixtures.js';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const items = (records: WxrRecord[]) => records.filter((r): r is WxrItem => r.kind === 'item');
const item = (records: WxrRecord[], id: number) => items(records).find((i) => i.id === id)!;

async function readOk(file: string) {
  const { records, error } = await readAll(file);
  expect(error).toBeUndefined();
  return records;
}

/** The error reading stopped at (it must be a WxrError), and the records yielded before it. */
async function readFailing(file: string) {
  const { records, error } = await readAll(file);
  expect(error).toBeInstanceOf(WxrError);
  return { records, error: error as WxrError };
}

function writeText(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('readWxr: the corners fixture (WXR 1.2 from WordPress 6)', async () => {
  const records = await readOk(wxrFixture('corners.wxr.xml'));

  it('yields the channel first, then authors, terms and items in file order', () => {
    expect(records.map((r) => r.kind)).toEqual(['channel', 'author', 'author', ...Array(8).fill('term'), ...Array(9).fill('item')]);
    expect(records[0]).toEqual({
      kind: 'channel',
      wxrVersion: '1.2',
      // not the site icon's <image><title>, which comes later in the channel
      title: 'Catatan IMers',
      link: 'https://imers.example',
      description: 'Cerita & kiat dari komunitas IMers',
      language: 'id-ID',
      baseSiteUrl: 'https://imers.example',
      baseBlogUrl: 'https://imers.example',
    });
  });

  it('reads authors, names kept HTML-escaped as WordPress wrote them', () => {
    expect(records.filter((r): r is WxrAuthor => r.kind === 'author')).toEqual([
      { kind: 'author', id: 1, login: 'ayu', email: 'ayu@imers.example', displayName: 'Ayu Lestari', firstName: 'Ayu', lastName: 'Lestari' },
      { kind: 'author', id: 2, login: 'budi', email: 'budi@imers.example', displayName: 'Budi &amp; Tim', firstName: '', lastName: '' },
    ]);
  });

  it('reads categories three deep, a tag with a category slug, and other taxonomies (term meta skipped)', () => {
    const term = (taxonomy: string, id: number, slug: string, name: string, parentSlug = '', description = ''): WxrTerm =>
      ({ kind: 'term', taxonomy, id, slug, name, parentSlug, description });
    expect(records.filter((r) => r.kind === 'term')).toEqual([
      term('category', 1, 'uncategorized', 'Uncategorized'),
      term('category', 2, 'teknologi', 'Teknologi', '', 'Semua tentang <em>teknologi</em>'),
      term('category', 3, 'web', 'Web', 'teknologi'),
      term('category', 4, 'wordpress', 'WordPress', 'web'),
      term('category', 5, 'seo-sosmed', 'SEO &amp; Sosmed'),
      term('post_tag', 6, 'wordpress', 'WordPress'),
      term('post_tag', 7, 'emoji', 'Emoji 😀', '', 'Tulisan dengan emoji'),
      term('nav_menu', 8, 'menu-utama', 'Menu Utama'),
    ]);
  });

  it('joins a CDATA section split around "]]>" and keeps block-editor markup whole', () => {
    const post = item(records, 10);
    expect(post.content).toContain('<p>Di PHP, <code>$a[$b[0]]>1</code> membandingkan nilai dengan 1.</p>');
    expect(post.content).toContain('<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->');
    expect(post.content).toContain('<figure class="wp-block-table"><table><thead><tr><th>Langkah</th>');
    expect(post.content.startsWith('<!-- wp:paragraph -->\n<p>Pindah blog')).toBe(true);
    expect(post.content.endsWith('<!-- /wp:table -->')).toBe(true);
  });

  it('reads a sticky post with its fields, terms of both taxonomies, and meta (the last value of a repeated key)', () => {
    const { content, comments, ...post } = item(records, 10);
    expect(post).toEqual({
      kind: 'item',
      postType: 'post',
      id: 10,
      title: 'Cara Pindah dari WordPress',
      link: 'https://imers.example/2024/03/05/cara-pindah/',
      guid: 'https://imers.example/?p=10',
      creator: 'ayu',
      excerpt: 'Ringkasan pindah blog.',
      postDate: '2024-03-05 09:00:00',
      postDateGmt: '2024-03-05 02:00:00',
      status: 'publish',
      slug: 'cara-pindah',
      parentId: 0,
      menuOrder: 0,
      commentStatus: 'open',
      password: '',
      sticky: true,
      attachmentUrl: '',
      terms: [
        { taxonomy: 'category', slug: 'wordpress', name: 'WordPress' },
        { taxonomy: 'post_tag', slug: 'wordpress', name: 'WordPress' },
      ],
      meta: { _edit_last: '1', _thumbnail_id: '17', _wp_old_slug: 'cara-pindah-blog' },
    });
    expect(content.length).toBeGreaterThan(500);
    expect(comments).toHaveLength(8);
  });

  it('reads comments in file order: a thread five deep with a reply before its parent, pending, spam and trash', () => {
    const { comments } = item(records, 10);
    expect(comments.map((c) => [c.id, c.parentId, c.approved])).toEqual([
      [101, 0, '1'],
      [102, 101, '1'],
      [103, 102, '1'],
      [105, 104, '1'],
      [104, 103, '1'],
      [106, 0, '0'],
      [107, 0, 'spam'],
      [108, 0, 'trash'],
    ]);
    expect(comments[0]).toEqual({
      id: 101,
      parentId: 0,
      author: 'Sari',
      authorEmail: 'sari@contoh.example',
      authorUrl: 'https://sari.example',
      authorIp: '192.0.2.10',
      date: '2024-03-05 10:00:00',
      dateGmt: '2024-03-05 03:00:00',
      content: 'Terima kasih, sangat membantu!\n\nSaya coba minggu depan.',
      approved: '1',
      type: 'comment',
      userId: 0,
      meta: {},
    });
    expect(comments[1]).toMatchObject({ content: 'Sama-sama & semoga lancar. <strong>Ekspor dulu</strong> ya.', userId: 1 });
    expect(comments[3].content).toBe('Sip, berhasil 🎉');
    expect(comments[6].meta).toEqual({ akismet_result: 'true' });
    expect(comments[7]).toMatchObject({ userId: 2, meta: { _wp_trash_meta_status: '1', _wp_trash_meta_time: '1709863200' } });
  });

  it('keeps escapes raw in titles, category names and a pingback, and reads an Indonesian post with emoji', () => {
    const post = item(records, 11);
    expect(post.title).toBe('SEO &amp; Sosmed untuk Blog Kecil 🚀');
    expect(post.link).toBe('https://imers.example/seo-sosmed-untuk-blog-kecil/');
    expect(post.content).toContain('<p>Blog kecil juga bisa ramai dikunjungi 🙌.');
    expect(post.terms).toEqual([
      { taxonomy: 'post_tag', slug: 'emoji', name: 'Emoji 😀' },
      { taxonomy: 'category', slug: 'seo-sosmed', name: 'SEO &amp; Sosmed' },
    ]);
    expect(post.comments).toEqual([
      expect.objectContaining({ id: 109, type: 'pingback', author: 'Blog Tetangga &raquo; Kumpulan Tautan', content: '[&#8230;] tulisan tentang SEO [&#8230;]', authorEmail: '' }),
    ]);
  });

  it('reads a classic-editor post as written, with an empty post_date_gmt', () => {
    const post = item(records, 12);
    expect(post.content).toBe(
      'Ini tulisan dari editor klasik. Tidak ada tag paragraf.\n\n' +
        'Baris kosong memisahkan paragraf, dan <strong>HTML sebaris</strong> tetap ada.\n' +
        'Baris ini cuma ganti baris, dengan <a href="https://imers.example/tentang/">tautan</a>.\n\n' +
        'Paragraf terakhir: 5 &lt; 7 &amp; "kutip".',
    );
    expect(post).toMatchObject({ postDate: '2019-07-01 12:00:00', postDateGmt: '', commentStatus: 'closed', link: 'https://imers.example/2019/07/01/catatan-lama/' });
  });

  it('reads a draft with an empty slug and a zero GMT date, and a password-protected post', () => {
    expect(item(records, 13)).toMatchObject({ status: 'draft', slug: '', postDateGmt: '0000-00-00 00:00:00', link: 'https://imers.example/?p=13' });
    expect(item(records, 14)).toMatchObject({ password: 'rahasia & aman', status: 'publish' });
  });

  it('reads a page and its child page', () => {
    expect(item(records, 15)).toMatchObject({ postType: 'page', slug: 'tentang', parentId: 0, menuOrder: 1, link: 'https://imers.example/tentang/' });
    expect(item(records, 16)).toEqual({
      kind: 'item',
      postType: 'page',
      id: 16,
      title: 'Tim Kami',
      link: 'https://imers.example/tentang/tim/',
      guid: 'https://imers.example/?page_id=16',
      creator: 'budi',
      content: '<!-- wp:paragraph -->\n<p>Ayu dan Budi.</p>\n<!-- /wp:paragraph -->',
      excerpt: '',
      postDate: '2024-01-02 07:00:00',
      postDateGmt: '2024-01-02 00:00:00',
      status: 'publish',
      slug: 'tim',
      parentId: 15,
      menuOrder: 2,
      commentStatus: 'closed',
      password: '',
      sticky: false,
      attachmentUrl: '',
      terms: [],
      meta: {},
      comments: [],
    });
  });

  it('reads an attachment and a trashed post with the status and slug it had', () => {
    expect(item(records, 17)).toMatchObject({
      postType: 'attachment',
      status: 'inherit',
      parentId: 10,
      attachmentUrl: 'https://imers.example/wp-content/uploads/2024/03/logo-imers.png',
      meta: { _wp_attached_file: '2024/03/logo-imers.png', _wp_attachment_image_alt: 'Logo IMers' },
    });
    expect(item(records, 17).meta._wp_attachment_metadata).toContain('s:4:"file";s:22:"2024/03/logo-imers.png";');
    expect(item(records, 18)).toMatchObject({
      status: 'trash',
      slug: 'berita-lama__trashed',
      meta: { _wp_trash_meta_status: 'publish', _wp_trash_meta_time: '1714528800', _wp_desired_post_slug: 'berita-lama' },
    });
  });
});

describe('readWxr: WXR versions', () => {
  it('reads WXR 1.0: no authors, no term ids, the plain-RSS copy of each category dropped', async () => {
    const records = await readOk(wxrFixture('v1.0.wxr.xml'));
    expect(records.map((r) => r.kind)).toEqual(['channel', 'term', 'term', 'term', 'item']);
    expect(records[0]).toMatchObject({ wxrVersion: '1.0', title: 'Blog Lama Ayu', language: 'en' });
    expect(records[2]).toEqual({ kind: 'term', taxonomy: 'category', id: 0, slug: 'harian', name: 'Harian', parentSlug: 'catatan', description: '' });
    expect(records[3]).toMatchObject({ taxonomy: 'post_tag', id: 0, slug: 'kenangan' });
    const post = items(records)[0];
    expect(post).toMatchObject({ id: 3, slug: 'posting-pertama', sticky: false, creator: 'admin', postDateGmt: '2009-09-01 02:00:00' });
    expect(post.terms).toEqual([
      { taxonomy: 'category', slug: 'harian', name: 'Harian' },
      { taxonomy: 'post_tag', slug: 'kenangan', name: 'Kenangan' },
    ]);
    expect(post.comments).toEqual([expect.objectContaining({ id: 1, type: '', userId: 0, author: 'Mr WordPress', content: expect.stringContaining('post&#039;s comments') })]);
  });

  it('reads WXR 1.1: authors and term ids', async () => {
    const records = await readOk(wxrFixture('v1.1.wxr.xml'));
    expect(records.map((r) => r.kind)).toEqual(['channel', 'author', 'term', 'term', 'item']);
    expect(records[0]).toMatchObject({ wxrVersion: '1.1', title: 'Kebun Kata' });
    expect(records[1]).toMatchObject({ id: 3, login: 'dewi', email: 'dewi@kebunkata.example', lastName: 'Sartika' });
    expect(records[2]).toMatchObject({ taxonomy: 'category', id: 4, slug: 'tanaman' });
    expect(items(records)[0]).toMatchObject({ id: 21, meta: { _edit_last: '3' }, comments: [expect.objectContaining({ id: 5, author: 'Rina' })] });
  });
});

describe('readWxr: elements nested in unknown elements', () => {
  it('are not taken for the record’s own: a site icon’s <image><title> before the first record', async () => {
    const file = writeText(
      'icon-first.xml',
      `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<title>Judul Blog</title><link>https://blog.example</link>
<image><url>https://blog.example/icon.png</url><title>Ikon</title><link>https://blog.example/</link></image>
<item><title>Pos</title><wp:post_id>4</wp:post_id><x:extra xmlns:x="urn:x"><title>bukan judul</title></x:extra></item>
</channel></rss>`,
    );
    const records = await readOk(file);
    expect(records[0]).toMatchObject({ kind: 'channel', title: 'Judul Blog', link: 'https://blog.example' });
    expect(records[1]).toMatchObject({ kind: 'item', id: 4, title: 'Pos' });
  });
});

describe('readWxr: numbers', () => {
  it('reads ids as numbers, 0 when absent, empty or not a number; a negative menu order', async () => {
    const file = writeText(
      'numbers.xml',
      `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Angka</title>
<wp:author><wp:author_login>x</wp:author_login></wp:author>
<item><wp:post_id> 42 </wp:post_id><wp:post_parent></wp:post_parent><wp:menu_order>-1</wp:menu_order><wp:is_sticky>yes</wp:is_sticky>
<wp:comment><wp:comment_id>7a</wp:comment_id><wp:comment_parent>1e3</wp:comment_parent></wp:comment></item>
</channel></rss>`,
    );
    const [, author, post] = await readOk(file);
    expect(author).toMatchObject({ id: 0, login: 'x', email: '' });
    expect(post).toMatchObject({ id: 42, parentId: 0, menuOrder: -1, sticky: false, status: '', comments: [expect.objectContaining({ id: 0, parentId: 0 })] });
  });
});

describe('readWxr: a WordPress.com zip', () => {
  it('reads every XML file in name order, each with its channel, told by its bytes rather than its name', async () => {
    // multer stores an upload under a name without its extension
    const zip = await wordpressComZip(path.join(dir, 'upload-7f3a9c'));
    const progress: [number, number][] = [];
    const { records, error } = await readAll(zip, (done, total) => progress.push([done, total]));
    expect(error).toBeUndefined();
    expect(records.map((r) => `${r.kind}${'id' in r ? ` ${r.id}` : ''}`)).toEqual([
      'channel', 'author 51234567', 'term 1674', 'item 5',
      'channel', 'author 51234567', 'item 2',
    ]);
    expect(items(records).map((i) => i.title)).toEqual(['Ke Bromo', 'Tentang Saya']);
    const total = fs.statSync(wxrFixture('wordpress-com.000.xml')).size + fs.statSync(wxrFixture('wordpress-com.001.xml')).size;
    expect(progress.at(-1)).toEqual([total, total]);
  });

  it('skips directories and files that are not XML', async () => {
    const zip = await writeZip(path.join(dir, 'mixed.zip'), [
      { name: 'media/', directory: true },
      { name: 'media/readme.txt', text: 'not xml' },
      { name: 'blog.xml', file: wxrFixture('v1.1.wxr.xml') },
    ]);
    expect(items(await readOk(zip)).map((i) => i.id)).toEqual([21]);
  });

  it('reads an XML file named .zip as XML', async () => {
    const file = path.join(dir, 'named-wrong.zip');
    fs.copyFileSync(wxrFixture('v1.1.wxr.xml'), file);
    expect(items(await readOk(file)).map((i) => i.id)).toEqual([21]);
  });
});

describe('readWxr: errors name the file and the line', () => {
  it('a bare "&" (a plugin’s unescaped URL): at its own line', async () => {
    const { error } = await readFailing(wxrFixture('malformed.wxr.xml'));
    expect(error).toMatchObject({ file: 'malformed.wxr.xml', line: 36 });
    expect(error.message).toBe('malformed.wxr.xml, line 36: not well-formed XML: a bare "&" (it must be written "&amp;")');
  });

  it('tags that do not match: the line saxes gives', async () => {
    const text = fs.readFileSync(wxrFixture('corners.wxr.xml'), 'utf8').replace('<wp:status><![CDATA[draft]]></wp:status>', '<wp:status><![CDATA[draft]]></wp:stat>');
    const line = text.slice(0, text.indexOf('</wp:stat>')).split('\n').length;
    const { error } = await readFailing(writeText('mismatched.xml', text));
    expect(error).toMatchObject({ file: 'mismatched.xml', line });
    expect(error.message).toMatch(/^mismatched\.xml, line \d+: not well-formed XML: unexpected close tag/);
  });

  it('a file cut short', async () => {
    const { records, error } = await readFailing(wxrFixture('cut-short.wxr.xml'));
    expect(error.message).toBe('cut-short.wxr.xml, line 294: the file ends early: it may be cut short');
    expect(error.line).toBe(294);
    expect(items(records).map((i) => i.id)).toEqual([10]);
  });

  it('an RSS feed that is not an export, and XML that is not RSS', async () => {
    const feed = await readFailing(wxrFixture('not-wxr-feed.xml'));
    expect(feed.error.message).toBe('not-wxr-feed.xml, line 8: not a WordPress export (WXR) file');
    expect(feed.records).toEqual([]);
    const atom = await readFailing(writeText('atom.xml', '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>\n'));
    expect(atom.error).toMatchObject({ line: 2, message: 'atom.xml, line 2: not a WordPress export (WXR) file' });
  });

  it('an empty file, or one of blank lines', async () => {
    expect((await readFailing(writeText('empty.xml', ''))).error.message).toBe('empty.xml: the file is empty');
    expect((await readFailing(writeText('blank.xml', '\n \n'))).error).toMatchObject({ line: 0, message: 'blank.xml: the file is empty' });
  });

  it('an uploaded file, by the name it was uploaded with', async () => {
    const upload = path.join(dir, '3f9c1d0e7a');
    fs.copyFileSync(wxrFixture('malformed.wxr.xml'), upload);
    await expect(readAll(upload, undefined, 'ekspor-blog.xml')).resolves.toMatchObject({
      error: { file: 'ekspor-blog.xml', line: 36, message: expect.stringMatching(/^ekspor-blog\.xml, line 36: /) },
    });
  });

  it('a file that does not exist', async () => {
    const { error } = await readFailing(path.join(dir, 'missing.xml'));
    expect(error).toMatchObject({ line: 0, message: 'missing.xml: the file cannot be read (ENOENT)' });
  });

  it('a zip without XML, and a broken file inside a zip (named with its entry)', async () => {
    const noXml = await writeZip(path.join(dir, 'photos.zip'), [{ name: 'a.txt', text: 'hello' }]);
    expect((await readFailing(noXml)).error).toMatchObject({ line: 0, message: 'photos.zip: the zip file holds no XML file' });
    const broken = await writeZip(path.join(dir, 'export.zip'), [
      { name: 'b.xml', file: wxrFixture('malformed.wxr.xml') },
      { name: 'a.xml', file: wxrFixture('v1.1.wxr.xml') },
    ]);
    const { records, error } = await readFailing(broken);
    expect(error).toMatchObject({ file: 'export.zip/b.xml', line: 36 });
    // the first entry's records came before the error: the importer imports nothing when reading throws
    expect(items(records).map((i) => i.id)).toEqual([21]);
  });

  it('a truncated zip', async () => {
    const zip = await wordpressComZip(path.join(dir, 'whole.zip'));
    const cut = path.join(dir, 'truncated.zip');
    fs.writeFileSync(cut, fs.readFileSync(zip).subarray(0, 600));
    expect((await readFailing(cut)).error.message).toMatch(/^truncated\.zip: not a readable zip file \(/);
  });
});

describe('readWxr: a large export', () => {
  const gc = () => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  };

  it('is read in bounded memory, reporting progress about every 64 kB', { timeout: 120_000 }, async () => {
    const file = path.join(dir, 'large.xml');
    writeLargeWxr(file, 10_000);
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(55e6);

    const collect = gc();
    collect();
    const base = process.memoryUsage().heapUsed;
    let maxGrowth = 0;
    let count = 0;
    let comments = 0;
    const progress: number[] = [];
    for await (const record of readWxr(file, (done, total) => {
      expect(total).toBe(size);
      progress.push(done);
    })) {
      if (record.kind !== 'item') continue;
      count++;
      comments += record.comments.length;
      if (count % 1000 === 0) {
        collect();
        maxGrowth = Math.max(maxGrowth, process.memoryUsage().heapUsed - base);
      }
    }
    expect(count).toBe(10_000);
    expect(comments).toBe(50_000);
    expect(maxGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(progress.at(-1)).toBe(size);
    expect(progress.every((done, i) => i === 0 || done > progress[i - 1])).toBe(true);
    const steps = progress.slice(1, -1).map((done, i) => done - progress[i]);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(64 * 1024);
    expect(progress.length).toBeLessThan(size / (64 * 1024) + 2);
  });
});

describe('createBareAmpersandCheck: chunks split anywhere', () => {
  const lineOfBareAmpersand = (text: string, cut: number) => {
    const check = createBareAmpersandCheck();
    return check(text.slice(0, cut), false) || check(text.slice(cut), false) || check('', true);
  };
  const fine = '<a href="?x=1&amp;y=2">&#8230; &#x1F600; &lt;</a>\n<![CDATA[Tom & Jerry ]]]]><![CDATA[> & ]]>\n<!-- a & b -->\n<?pi & ?>\n<b>&amp;</b>';

  it('finds no bare "&" in references, CDATA sections, comments and processing instructions', () => {
    for (let cut = 0; cut <= fine.length; cut++) expect(lineOfBareAmpersand(fine, cut)).toBe(0);
  });

  it('finds a bare "&" at its line, wherever the text is cut, even at the very end', () => {
    const bad = `${fine}\n<c>https://toko.example/?a=1&b=2</c>\n<d>;</d>`;
    for (let cut = 0; cut <= bad.length; cut++) expect(lineOfBareAmpersand(bad, cut)).toBe(6);
    for (let cut = 0; cut <= fine.length + 3; cut++) expect(lineOfBareAmpersand(`${fine}\n<&`, cut)).toBe(6);
  });
});
