import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { manualClock } from '../support/comments.js';
import { buildExportBlog, parseWxr, type Node } from '../support/wxr-export-blog.js';
import { createWxrExportRepository } from '../../src/repositories/wxr-export.js';
import { createWxrExport } from '../../src/services/wxr-export.js';
import { cdata, wxrXml } from '../../src/wxr/writer.js';

const clock = manualClock('2024-06-01T10:00:00Z');
let t: TestApp;
let blog: Awaited<ReturnType<typeof buildExportBlog>>;
let wxr: ReturnType<typeof parseWxr>;
let xml: string;

beforeAll(async () => {
  t = makeTestApp({ now: clock.now, seed: false });
  blog = await buildExportBlog(t, clock);
  xml = [...t.services.wxrExport.document()].join('');
  wxr = parseWxr(xml);
});
afterAll(() => t?.close());

describe('wxrExport.document()', () => {
  it('describes the blog in the channel: title, address, tagline, language and WXR 1.2', () => {
    expect(xml).toContain('xmlns:wp="http://wordpress.org/export/1.2/"');
    const { channel } = wxr;
    expect(channel.title).toBe('Blog & Co');
    expect(channel.link).toBe('http://blog.test');
    expect(channel.description).toBe('Catatan <newbie> IM');
    expect(channel.language).toBe('id-ID');
    expect(channel['wp:wxr_version']).toBe('1.2');
    expect(channel['wp:base_site_url']).toBe('http://blog.test');
    expect(channel['wp:base_blog_url']).toBe('http://blog.test');
  });

  it('lists each user as an author with login, email and display name (HTML-escaped, as WordPress writes names)', () => {
    const authors = wxr.channel['wp:author'] as Node[];
    expect(authors).toContainEqual(expect.objectContaining({
      'wp:author_login': blog.admin.login, 'wp:author_email': 'admin@example.org', 'wp:author_display_name': 'Ani &amp; Budi',
    }));
  });

  it('writes categories with their parent slug, parents first, and tags', () => {
    const categories = wxr.channel['wp:category'] as Node[];
    const slugs = categories.map((c) => c['wp:category_nicename']);
    expect(slugs.indexOf('parent')).toBeLessThan(slugs.indexOf('child'));
    expect(categories.find((c) => c['wp:category_nicename'] === 'child')).toMatchObject({ 'wp:category_parent': 'parent', 'wp:cat_name': 'Child &amp; Co' });
    expect(categories.find((c) => c['wp:category_nicename'] === 'parent')).toMatchObject({ 'wp:category_parent': '' });
    expect(wxr.channel['wp:tag']).toEqual([expect.objectContaining({ 'wp:tag_slug': 'tips', 'wp:tag_name': 'Tips' })]);
  });

  it('writes a Markdown post with its permalink, dates in the blog zone and UTC, author, guid, rendered body, excerpt and terms', () => {
    const item = wxr.item('markdown-post');
    expect(item).toMatchObject({
      title: 'Markdown &amp; &lt;more&gt;',
      // 20:30 UTC is 03:30 the next day in Jakarta: the permalink and the local date follow the blog's zone.
      link: 'http://blog.test/2024/03/02/markdown-post/',
      pubDate: 'Fri, 01 Mar 2024 20:30:00 +0000',
      'dc:creator': blog.admin.login,
      guid: { '#text': `http://blog.test/?p=${blog.ids.markdown}`, '@_isPermaLink': 'false' },
      'wp:post_id': String(blog.ids.markdown),
      'wp:post_date': '2024-03-02 03:30:00',
      'wp:post_date_gmt': '2024-03-01 20:30:00',
      'wp:comment_status': 'open',
      'wp:status': 'publish',
      'wp:post_type': 'post',
      'wp:post_parent': '0',
      'wp:post_password': '',
      'wp:is_sticky': '0',
      'excerpt:encoded': 'Short &amp; sweet',
    });
    expect(item['content:encoded']).toContain('<strong>world</strong>');
    expect(item.category).toEqual([
      { '#text': 'Child &amp; Co', '@_domain': 'category', '@_nicename': 'child' },
      { '#text': 'Tips', '@_domain': 'post_tag', '@_nicename': 'tips' },
    ]);
  });

  it('keeps `]]>` in a body through a parse (the CDATA section is split around it)', () => {
    expect(wxr.item('markdown-post')['content:encoded']).toContain(']]&gt; too');
    expect(wxr.item('markdown-post')['content:encoded']).toContain('a]]&gt;b');
    const raw = parseWxr([...wxrXml([
      { kind: 'channel', wxrVersion: '1.2', title: 't', link: 'l', description: '', language: '', baseSiteUrl: '', baseBlogUrl: '' },
      { kind: 'term', taxonomy: 'category', id: 1, slug: 's', name: 'x]]>y]]]]>z', parentSlug: '', description: '' },
    ])].join(''));
    expect((raw.channel['wp:category'] as Node[])[0]['wp:cat_name']).toBe('x]]>y]]]]>z');
  });

  it('drops characters XML 1.0 cannot carry and keeps emoji', () => {
    expect(cdata('a\u0000b\u0007c\uFFFE😀\uD800')).toBe('<![CDATA[abc😀]]>');
    const doc = [...wxrXml([
      { kind: 'channel', wxrVersion: '1.2', title: 'bell\u0007 😀', link: 'l', description: '', language: '', baseSiteUrl: '', baseBlogUrl: '' },
    ])].join('');
    expect(parseWxr(doc).channel.title).toBe('bell 😀');
  });

  it('writes the HTML source of a post that came as HTML, not its rendering', () => {
    expect(wxr.item('from-wordpress')['content:encoded']).toBe('<!-- wp:paragraph --><p>Kept as <b>HTML</b></p><!-- /wp:paragraph -->');
  });

  it('writes the password of a protected post, the sticky flag and closed comments', () => {
    expect(wxr.item('secret')['wp:post_password']).toBe('open sesame');
    expect(wxr.item('pinned')).toMatchObject({ 'wp:is_sticky': '1', 'wp:comment_status': 'closed' });
  });

  it('writes pages with their parent page', () => {
    expect(wxr.item('about')).toMatchObject({ 'wp:post_type': 'page', 'wp:post_parent': '0', link: 'http://blog.test/about/' });
    expect(wxr.item('team')).toMatchObject({ 'wp:post_type': 'page', 'wp:post_parent': String(blog.ids.about), link: 'http://blog.test/about/team/' });
  });

  it('writes a draft with WordPress’s empty UTC date and its ?p= link', () => {
    expect(wxr.item('unfinished')).toMatchObject({
      'wp:status': 'draft', 'wp:post_date_gmt': '0000-00-00 00:00:00', link: `http://blog.test/?p=${blog.ids.draft}`,
    });
    expect(wxr.item('unfinished').pubDate).toBeUndefined();
  });

  it('writes a trashed post with the status and slug that restoring gives back', () => {
    const item = wxr.item('old-news__trashed');
    expect(item['wp:status']).toBe('trash');
    // Published before it was trashed (the editor's trash keeps no status: read from its date).
    expect(wxr.meta(item)).toMatchObject({ _wp_trash_meta_status: 'publish', _wp_desired_post_slug: 'old-news' });
  });

  it('writes comments with threads, statuses and authors, leaving spam out', () => {
    const comments = wxr.item('markdown-post')['wp:comment'] as Node[];
    const byId = new Map(comments.map((c) => [Number(c['wp:comment_id']), c]));
    const { top, reply, deeper, spam, underSpam, pending, binned } = blog.comments;
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual([top, reply, deeper, underSpam, pending, binned].sort((a, b) => a - b));
    expect(byId.has(spam)).toBe(false);
    expect(byId.get(top)).toMatchObject({
      'wp:comment_author': 'Citra', 'wp:comment_author_email': 'citra@example.org', 'wp:comment_author_url': 'https://citra.example/',
      'wp:comment_author_IP': '203.0.113.10', 'wp:comment_approved': '1', 'wp:comment_parent': '0', 'wp:comment_user_id': '0',
      'wp:comment_type': 'comment',
    });
    expect(byId.get(top)!['wp:comment_content']).toContain('First &amp; foremost');
    expect(byId.get(top)!['wp:comment_date']).toMatch(/^2024-06-01 \d\d:\d\d:\d\d$/);
    expect(Date.parse(`${String(byId.get(top)!['wp:comment_date_gmt']).replace(' ', 'T')}Z`) + 7 * 3600_000)
      .toBe(Date.parse(`${String(byId.get(top)!['wp:comment_date']).replace(' ', 'T')}Z`));
    expect(byId.get(reply)!['wp:comment_parent']).toBe(String(top));
    expect(byId.get(reply)!['wp:comment_author']).toBe('Dewi &amp; Co');
    expect(byId.get(deeper)!['wp:comment_parent']).toBe(String(reply));
    // Its parent is spam and stays behind: the reply stands on its own rather than pointing at nothing.
    expect(byId.get(underSpam)!['wp:comment_parent']).toBe('0');
    expect(byId.get(pending)!['wp:comment_approved']).toBe('0');
    expect(byId.get(binned)!['wp:comment_approved']).toBe('trash');
  });

  it('writes media as attachment items: uploads at their public address, imported ones at their source', () => {
    const attachments = wxr.items.filter((i) => i['wp:post_type'] === 'attachment');
    expect(attachments.map((a) => a['wp:attachment_url'])).toEqual([`http://blog.test/uploads/${blog.fileName}`, 'https://old.example/wp-content/uploads/cat.jpg']);
    expect(attachments[1]).toMatchObject({ title: 'A cat', 'wp:status': 'inherit', 'wp:post_parent': String(blog.ids.markdown) });
    const postIds = wxr.items.map((i) => i['wp:post_id']);
    expect(new Set(postIds).size).toBe(postIds.length);
  });

  it('reuses the GUID of an imported post', () => {
    t.db.prepare("INSERT INTO wp_origins (site, kind, wp_id, guid, local_id) VALUES ('https://old.example', 'post', 42, 'https://old.example/?p=42', ?)").run(blog.ids.sticky);
    const again = parseWxr([...t.services.wxrExport.document()].join(''));
    expect(again.item('pinned').guid).toMatchObject({ '#text': 'https://old.example/?p=42' });
  });

  it('reads posts in keyset batches, with one query for the terms and one for the comments of each batch', () => {
    const repo = createWxrExportRepository(t.db);
    const calls: string[] = [];
    const counted = Object.fromEntries(Object.entries(repo).map(([name, fn]) => [name, (...args: unknown[]) => {
      calls.push(name);
      return (fn as (...a: unknown[]) => unknown)(...args);
    }])) as unknown as typeof repo;
    const exporter = createWxrExport({ repo: counted, settings: t.services.settings, batchSize: 2 });
    const pieces = exporter.document();
    // Channel, authors and terms come first; the first item needs one batch of posts and nothing more.
    for (let piece = pieces.next(); !String(piece.value).includes('<item>'); piece = pieces.next());
    expect(calls.filter((c) => c === 'postsAfter')).toHaveLength(1);
    const rest = [...pieces].join('');
    const posts = Number(t.db.prepare('SELECT count(*) FROM posts').pluck().get());
    const batches = Math.ceil(posts / 2);
    expect(calls.filter((c) => c === 'postsAfter')).toHaveLength(batches + 1);
    expect(calls.filter((c) => c === 'termsOfPosts')).toHaveLength(batches);
    expect(calls.filter((c) => c === 'commentsOfPosts')).toHaveLength(batches);
    expect(rest.split('<item>').length - 1 + 1).toBe(wxr.items.length);
  });
});

/** What a reader and the admin see of a blog, keyed by slug, for comparing two blogs. */
function contentOf(target: TestApp) {
  const q = <T>(sql: string) => target.db.prepare(sql).all() as T[];
  return {
    posts: q(`SELECT p.type, p.status, p.slug, p.title, p.password, p.sticky, p.comments_open AS commentsOpen, p.published_at AS publishedAt,
                     p.excerpt, p.body_text AS bodyText, parent.slug AS parent, u.login AS author
              FROM posts p LEFT JOIN posts parent ON parent.id = p.parent_id JOIN users u ON u.id = p.author_id ORDER BY p.slug`),
    terms: q(`SELECT t.taxonomy, t.slug, t.name, parent.slug AS parent FROM terms t LEFT JOIN terms parent ON parent.id = t.parent_id ORDER BY t.taxonomy, t.slug`),
    postTerms: q(`SELECT p.slug AS post, t.taxonomy, t.slug FROM post_terms pt JOIN posts p ON p.id = pt.post_id JOIN terms t ON t.id = pt.term_id ORDER BY 1, 2, 3`),
    comments: q<{ parent: string | null } & Record<string, unknown>>(`SELECT p.slug AS post, c.status, c.author_name AS author, c.author_email AS email, c.author_url AS url, c.author_ip AS ip,
                        c.created_at AS createdAt, c.body_html AS body, parent.author_name AS parent
                 FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN comments parent ON parent.id = c.parent_id
                 WHERE c.status <> 'spam' ORDER BY c.created_at`),
  };
}

describe('export, then import into a fresh blog', () => {
  it('gives the same posts, pages, terms and comments with the same threads', async () => {
    const file = path.join(t.dir, 'blog.xml');
    fs.writeFileSync(file, [...t.services.wxrExport.document()].join(''));
    const fresh = makeTestApp({ now: clock.now, seed: false });
    try {
      const summary = await fresh.services.wxrImport(file);
      expect(summary.skipped).toEqual(expect.objectContaining({ posts: {}, pages: {}, comments: {} }));
      const before = contentOf(t);
      const after = contentOf(fresh);
      // The spam comment stayed behind, so the reply to it stands alone after the trip.
      const expected = before.comments.map((c) => (c.parent === 'Spammer' ? { ...c, parent: null } : c));
      expect(after.comments).toEqual(expected);
      expect(after.terms).toEqual(before.terms);
      expect(after.postTerms).toEqual(before.postTerms);
      expect(after.posts).toEqual(before.posts);
    } finally {
      fresh.close();
    }
  });
});
