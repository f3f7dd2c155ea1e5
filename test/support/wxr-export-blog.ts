import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { createAccount } from './admin.js';
import type { manualClock } from './comments.js';
import { PNG } from '../fixtures/images.js';

/**
 * A blog with every corner an export must carry, built through the services: a Markdown post with a body that holds
 * `]]>`, a protected post, a page with a child, a sticky post, a post whose source is HTML, a draft, a trashed post,
 * threaded comments (one spam, one pending, one trashed, one replying to the spam), a category with a parent, a tag,
 * an uploaded image and an imported attachment. Fields the editor gets in issue 11 (sticky, page parent, term
 * parent, HTML source) are set on the rows, as an import would.
 */
export async function buildExportBlog(t: TestApp, clock: ReturnType<typeof manualClock>) {
  const { services, db } = t;
  services.settings.update({ title: 'Blog & Co', tagline: 'Catatan <newbie> IM', language: 'id', timeZone: 'Asia/Jakarta', requirePreviouslyApproved: false, moderationLinks: 0 });
  const admin = createAccount(t, 'administrator', 'admin@example.org', 'Ani & Budi');
  const post = (fields: Partial<Parameters<TestApp['services']['posts']['create']>[0]> & { slug: string }) =>
    services.posts.create({ status: 'published', title: fields.slug, markdown: `Body of ${fields.slug}.`, authorId: admin.id, ...fields });

  const ids = {
    markdown: post({
      slug: 'markdown-post', title: 'Markdown & <more>', markdown: 'Hello **world**, see `a]]>b` and ]]> too.', excerpt: 'Short & sweet',
      publishedAt: '2024-03-01T20:30:00.000Z', categories: [{ slug: 'child', name: 'Child & Co' }], tags: [{ slug: 'tips', name: 'Tips' }],
    }),
    parentCategory: post({ slug: 'in-parent', publishedAt: '2024-03-02T01:00:00.000Z', categories: [{ slug: 'parent', name: 'Parent' }] }),
    protected: post({ slug: 'secret', title: 'Secret', publishedAt: '2024-03-03T01:00:00.000Z' }),
    sticky: post({ slug: 'pinned', publishedAt: '2024-03-04T01:00:00.000Z', commentsOpen: false }),
    html: post({ slug: 'from-wordpress', publishedAt: '2024-03-05T01:00:00.000Z' }),
    about: post({ type: 'page', slug: 'about', title: 'About', publishedAt: '2024-01-01T00:00:00.000Z' }),
    team: post({ type: 'page', slug: 'team', title: 'Team', publishedAt: '2024-01-02T00:00:00.000Z' }),
    draft: post({ status: 'draft', slug: 'unfinished', title: 'Unfinished' }),
    trashed: post({ slug: 'old-news', title: 'Old news', publishedAt: '2024-02-01T00:00:00.000Z' }),
  };
  db.prepare("UPDATE terms SET parent_id = (SELECT id FROM terms WHERE taxonomy = 'category' AND slug = 'parent') WHERE taxonomy = 'category' AND slug = 'child'").run();
  db.prepare("UPDATE posts SET password = 'open sesame' WHERE id = ?").run(ids.protected);
  db.prepare('UPDATE posts SET sticky = 1 WHERE id = ?').run(ids.sticky);
  db.prepare('UPDATE posts SET parent_id = ? WHERE id = ?').run(ids.about, ids.team);
  db.prepare(`UPDATE posts SET source_format = 'html', body_markdown = '<!-- wp:paragraph --><p>Kept as <b>HTML</b></p><!-- /wp:paragraph -->',
    body_html = '<p>Kept as <b>HTML</b></p>', body_text = 'Kept as HTML' WHERE id = ?`).run(ids.html);
  const trashed = services.postEditor.findForEdit(ids.trashed, admin, 'post');
  if (!trashed || trashed === 'forbidden') throw new Error('no post to trash');
  services.postEditor.trash(trashed.post);

  let ip = 10;
  const comment = (postId: number, text: string, parentId?: number, name = 'Citra') => {
    const formToken = services.comments.formToken(postId);
    clock.advance(30);
    const result = services.comments.submit({
      postId: String(postId), parentId: parentId ? String(parentId) : '', name, email: `${name.split(' ')[0].toLowerCase()}@example.org`,
      url: 'https://citra.example', text, honeypot: '', formToken, ip: `203.0.113.${ip++}`, userAgent: 'test',
    });
    clock.advance(120);
    if (!('comment' in result)) throw new Error(JSON.stringify(result.errors));
    return result.comment.id;
  };
  const comments = { top: comment(ids.markdown, 'First & foremost') };
  const reply = comment(ids.markdown, 'A reply', comments.top, 'Dewi & Co');
  const deeper = comment(ids.markdown, 'A reply to the reply', reply, 'Eka');
  const spam = comment(ids.markdown, 'Buy pills', undefined, 'Spammer');
  const underSpam = comment(ids.markdown, 'Answering the spam', spam, 'Fajar');
  const pending = comment(ids.markdown, 'Waiting', undefined, 'Gita');
  const binned = comment(ids.markdown, 'Binned', undefined, 'Hadi');
  services.moderation.apply('spam', spam);
  services.moderation.apply('unapprove', pending);
  services.moderation.apply('trash', binned);

  const uploaded = await services.media.upload({ bytes: PNG, originalName: 'photo.png', uploadedBy: admin.id });
  if (!('id' in uploaded)) throw new Error(uploaded.refusal);
  db.prepare("INSERT INTO media (source_url, original_name, title, mime, size, uploaded_by, post_id) VALUES ('https://old.example/wp-content/uploads/cat.jpg', 'cat.jpg', 'A cat', 'image/jpeg', 0, ?, ?)").run(admin.id, ids.markdown);
  const fileName = db.prepare('SELECT file_name FROM media WHERE id = ?').pluck().get(uploaded.id) as string;

  return { admin, ids, comments: { ...comments, reply, deeper, spam, underSpam, pending, binned }, fileName };
}

export type Node = Record<string, unknown>;
const LISTS = new Set(['item', 'wp:author', 'wp:category', 'wp:tag', 'category', 'wp:postmeta', 'wp:comment']);
const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false, isArray: (name) => LISTS.has(name) });

/** The exported file parsed as an importer reads it: every value a string, repeated elements as lists. */
export function parseWxr(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const channel = (parser.parse(xml) as { rss: { channel: Node } }).rss.channel;
  const items = (channel.item ?? []) as Node[];
  const meta = (item: Node) => Object.fromEntries(((item['wp:postmeta'] ?? []) as Node[]).map((m) => [m['wp:meta_key'], m['wp:meta_value']]));
  return { channel, items, meta, item: (slug: string) => items.find((i) => i['wp:post_name'] === slug)! };
}
