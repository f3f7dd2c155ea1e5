import crypto from 'node:crypto';
import path from 'node:path';
import { decodeHTML } from 'entities';
import { DateTime } from 'luxon';
import type { PostStatus } from '../models.js';
import { postPath } from '../permalinks.js';
import { MAX_PAGE_DEPTH } from '../repositories/posts.js';
import type { ImportedComment, WxrImportRepository } from '../repositories/wxr-import.js';
import { avatarHash } from '../services/comment-fields.js';
import type { RenderedPost } from '../services/markdown.js';
import { htmlToText } from '../services/markdown.js';
import { isReservedPageSlug, slugFrom } from '../services/slugs.js';
import type { WxrChannel, WxrComment, WxrItem, WxrRecord } from './types.js';

/** What the summary counts, as WordPress's importer names them. */
export const KINDS = ['posts', 'pages', 'attachments', 'categories', 'tags', 'authors', 'comments'] as const;
export type Kind = (typeof KINDS)[number];

export interface ImportSummary {
  /** The channel's own title, tagline and language: offered for the blog's settings, never applied by the import. */
  channel: { title: string; tagline: string; language: string };
  imported: Record<Kind, number>;
  /** Per kind, why items were left out, and how many each time. */
  skipped: Record<Kind, Record<string, number>>;
  /** Things done differently from the file, one line each (a slug that was taken, a replaced first article…). */
  notes: string[];
}

export interface WxrImportDeps {
  repo: WxrImportRepository;
  /** Reads the file record by record; called twice: once to check the whole file, once to import it. */
  read: (onProgress?: (done: number, total: number) => void) => AsyncIterable<WxrRecord>;
  /** A post's HTML source (WordPress's) rendered as a post written here would be. */
  renderPost: (html: string, excerpt: string) => RenderedPost;
  /** A WordPress comment (plain text with inline HTML) as sanitized comment HTML. */
  renderComment: (text: string) => string;
  /** The blog's time zone: WordPress's local dates are read in it when the UTC ones are missing. */
  timeZone: string;
  now: () => Date;
  onProgress?: (phase: 'checking' | 'importing', done: number, total: number) => void;
  /** Told the channel as it is read (the download of media needs the old blog's addresses). */
  onChannel?: (channel: WxrChannel) => void;
}

/** Items are written this many at a time, each batch in one transaction: the running blog waits for one batch at most. */
const BATCH = 200;
/** The summary keeps this many notes; the count of the rest is told. */
const MAX_NOTES = 200;

const STATUS: Record<string, PostStatus> = { publish: 'published', future: 'scheduled', draft: 'draft', pending: 'draft', 'auto-draft': 'draft', private: 'draft', trash: 'trash' };
const COMMENT_STATUS: Record<string, ImportedComment['status']> = { 1: 'approved', 0: 'pending', spam: 'spam', trash: 'trash', 'post-trashed': 'trash' };
const MIME_BY_EXTENSION: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp',
  '.avif': 'image/avif', '.svg': 'image/svg+xml', '.pdf': 'application/pdf', '.mp3': 'audio/mpeg', '.mp4': 'video/mp4',
};

/** Text WordPress stored HTML-escaped once more (titles, names): decoded once, kept as plain text. */
const text = (raw: string) => decodeHTML(raw).trim();

const ZERO_DATE = /^0000-00-00/;

/** A WordPress date (`YYYY-MM-DD HH:MM:SS`) as ISO 8601 UTC: the UTC field, else the local one in the blog's zone. */
function isoDate(gmt: string, local: string, timeZone: string): string | null {
  const valid = (d: string) => d !== '' && !ZERO_DATE.test(d);
  if (valid(gmt)) {
    const parsed = DateTime.fromFormat(gmt, 'yyyy-MM-dd HH:mm:ss', { zone: 'UTC' });
    if (parsed.isValid) return parsed.toUTC().toISO();
  }
  if (valid(local)) {
    const parsed = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm:ss', { zone: timeZone });
    if (parsed.isValid) return parsed.toUTC().toISO();
  }
  return null;
}

/** A WordPress slug (percent-encoded when it is not ASCII) as one of ours. */
function slugOf(raw: string): string {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded after all.
  }
  return slugFrom(decoded);
}

/** The path of an absolute or relative link, or null. */
function pathOf(link: string): string | null {
  try {
    const url = new URL(link, 'http://old.invalid');
    return url.search === '' ? decodeURI(url.pathname) : null;
  } catch {
    return null;
  }
}

/** How many levels a page and its ancestors make, following the file's parents; a loop counts as too many. */
function levelsOf(id: number, parents: Map<number, number>): number {
  const seen = new Set([id]);
  for (let parent = parents.get(id); parent !== undefined; parent = parents.get(parent)) {
    if (seen.has(parent)) return Number.POSITIVE_INFINITY;
    seen.add(parent);
  }
  return seen.size;
}

const emptyCounts = () => Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;

/**
 * Imports a WordPress export. The whole file is read once first, so a malformed, foreign or cut-short file stops
 * before anything is written; then it is read again and written in batches. Every item is recorded in wp_origins,
 * so importing the same file again writes nothing, and WordPress's ids keep finding their posts.
 */
export async function importWxr(deps: WxrImportDeps): Promise<ImportSummary> {
  const { repo, timeZone, now } = deps;

  let items = 0;
  for await (const record of deps.read((done, total) => deps.onProgress?.('checking', done, total))) if (record.kind === 'item') items += 1;

  const summary: ImportSummary = { channel: { title: '', tagline: '', language: '' }, imported: emptyCounts(), skipped: Object.fromEntries(KINDS.map((k) => [k, {}])) as ImportSummary['skipped'], notes: [] };
  let notesLeftOut = 0;
  const skip = (kind: Kind, why: string) => {
    summary.skipped[kind][why] = (summary.skipped[kind][why] ?? 0) + 1;
  };
  const note = (line: string) => {
    if (summary.notes.length < MAX_NOTES) summary.notes.push(line);
    else notesLeftOut += 1;
  };

  let site = '';
  const userByLogin = new Map<string, number>();
  const termParents: { taxonomy: 'category' | 'tag'; id: number; parentSlug: string }[] = [];
  /** Pages and attachments whose WordPress parent may come later in the file. */
  const parents: { kind: 'post' | 'attachment'; id: number; wpParent: number }[] = [];
  /** Posts' featured images (_thumbnail_id): attachments that may come later in the file. */
  const thumbnails: { id: number; wpAttachment: number }[] = [];
  let batch: WxrItem[] = [];
  let done = 0;

  const fallbackAuthor = () => {
    const admin = repo.firstAdministrator();
    if (admin !== undefined) return admin;
    return repo.addUser('wordpress', 'WordPress', null);
  };

  const freeLogin = (wanted: string) => {
    const base = slugFrom(wanted) || 'author';
    let login = base;
    for (let n = 2; repo.userByLogin(login) !== undefined; n++) login = `${base}-${n}`;
    return login;
  };

  const author = (login: string, email: string, displayName: string, wpId: number) => {
    const imported = wpId > 0 ? repo.origin(site, 'user', wpId) : undefined;
    const known = imported ?? repo.userByEmail(email);
    if (known !== undefined) {
      skip('authors', imported !== undefined ? 'already imported' : 'matched to an account here by email');
      userByLogin.set(login, known);
      repo.addOrigin(site, 'user', wpId, null, known);
      return;
    }
    const id = repo.addUser(freeLogin(login), displayName || login, email || null);
    repo.addOrigin(site, 'user', wpId, null, id);
    userByLogin.set(login, id);
    summary.imported.authors += 1;
  };

  const authorOf = (login: string) => {
    const known = userByLogin.get(login);
    if (known !== undefined) return known;
    if (!login) return fallbackAuthor();
    author(login, '', login, 0);
    return userByLogin.get(login)!;
  };

  const term = (taxonomy: 'category' | 'tag', rawSlug: string, rawName: string, description: string, wpId: number) => {
    const name = text(rawName);
    const slug = slugOf(rawSlug) || slugFrom(name);
    if (!slug) return undefined;
    const existing = repo.termBySlug(taxonomy, slug);
    const kind = taxonomy === 'category' ? 'categories' : 'tags';
    if (existing !== undefined) {
      if (wpId > 0) skip(kind, repo.origin(site, 'term', wpId) !== undefined ? 'already imported' : 'matched to one here with the same slug');
      repo.addOrigin(site, 'term', wpId, null, existing);
      return existing;
    }
    const id = repo.addTerm(taxonomy, slug, name || slug, htmlToText(description));
    repo.addOrigin(site, 'term', wpId, null, id);
    summary.imported[kind] += 1;
    return id;
  };

  const freeSlug = (wanted: string, title: string, type: 'post' | 'page'): string => {
    let base = wanted;
    if (type === 'page' && isReservedPageSlug(base)) base = `${base}-page`;
    const existing = repo.postBySlug(base);
    if (!existing) return base;
    // The install's own first article, as it came: the imported one (with its comments and date) takes its place.
    if (existing.title === title && existing.untouched === 1 && existing.comments === 0) {
      repo.deletePost(existing.id);
      note(`“${title}” replaced the same article this blog was installed with, at ${base}`);
      return base;
    }
    let slug = base;
    for (let n = 2; repo.slugTaken(slug); n++) slug = `${base}-${n}`;
    note(`“${title}”: the address ${base} was taken here, so it is at ${slug}`);
    return slug;
  };

  const comments = (item: WxrItem, postId: number) => {
    const local = new Map<number, number>();
    const inFile = new Set(item.comments.map((c) => c.id));
    let pending = item.comments;
    // Parents before children: each round places the comments whose parent is placed (or absent from the file).
    while (pending.length > 0) {
      const waiting: WxrComment[] = [];
      for (const c of pending) {
        const parentInFile = c.parentId !== 0 && inFile.has(c.parentId);
        const parent = c.parentId === 0 ? null : local.get(c.parentId) ?? repo.origin(site, 'comment', c.parentId);
        if (parent === undefined && parentInFile) {
          waiting.push(c);
          continue;
        }
        comment(c, postId, parent ?? null, local);
      }
      if (waiting.length === pending.length) {
        // A loop of replies: the rest are placed at the top level.
        for (const c of waiting) comment(c, postId, null, local);
        break;
      }
      pending = waiting;
    }
  };

  const comment = (c: WxrComment, postId: number, parentId: number | null, local: Map<number, number>) => {
    const already = c.id > 0 ? repo.origin(site, 'comment', c.id) : undefined;
    if (already !== undefined) {
      local.set(c.id, already);
      return skip('comments', 'already imported');
    }
    if (c.type !== '' && c.type !== 'comment') return skip('comments', `${c.type}s are not kept`);
    const status = COMMENT_STATUS[c.approved];
    if (!status) return skip('comments', `unknown status “${c.approved}”`);
    const email = c.authorEmail.trim().toLowerCase();
    const id = repo.addComment({
      postId, parentId, status,
      authorName: text(c.author),
      authorEmail: email,
      avatarHash: avatarHash(email),
      authorUrl: /^https?:\/\//i.test(c.authorUrl.trim()) ? c.authorUrl.trim() : '',
      authorIp: c.authorIp,
      userId: c.userId > 0 ? repo.origin(site, 'user', c.userId) ?? null : null,
      bodyHtml: deps.renderComment(c.content),
      createdAt: isoDate(c.dateGmt, c.date, timeZone) ?? now().toISOString(),
    });
    repo.addOrigin(site, 'comment', c.id, null, id);
    local.set(c.id, id);
    summary.imported.comments += 1;
  };

  const attachment = (item: WxrItem) => {
    const already = repo.origin(site, 'attachment', item.id) ?? repo.originByGuid(item.guid);
    if (already !== undefined) return skip('attachments', 'already imported');
    const url = item.attachmentUrl || item.guid;
    if (!/^https?:\/\//i.test(url)) return skip('attachments', 'no http(s) address');
    const name = path.posix.basename(pathOf(url) ?? url);
    const id = repo.addMedia({
      sourceUrl: url,
      originalName: name,
      title: text(item.title),
      mime: MIME_BY_EXTENSION[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
      uploadedBy: authorOf(item.creator),
      createdAt: isoDate(item.postDateGmt, item.postDate, timeZone) ?? now().toISOString(),
    });
    repo.addOrigin(site, 'attachment', item.id, item.guid || null, id);
    if (item.parentId > 0) parents.push({ kind: 'attachment', id, wpParent: item.parentId });
    summary.imported.attachments += 1;
  };

  const post = (item: WxrItem) => {
    const type = item.postType as 'post' | 'page';
    const kind = type === 'post' ? 'posts' : 'pages';
    const known = repo.origin(site, 'post', item.id) ?? repo.originByGuid(item.guid);
    if (known !== undefined) {
      skip(kind, 'already imported');
      comments(item, known);
      return;
    }
    const status = STATUS[item.status];
    if (!status) return skip(kind, `status “${item.status}” is not kept`);
    if (item.status === 'private') note(`“${text(item.title)}” was private in WordPress: it is a draft here`);
    const title = text(item.title);
    const statusBeforeTrash = status === 'trash' ? STATUS[item.meta._wp_trash_meta_status ?? ''] ?? 'draft' : null;
    const visibleStatus = statusBeforeTrash ?? status;
    const date = isoDate(item.postDateGmt, item.postDate, timeZone);
    const publishedAt = visibleStatus === 'published' || visibleStatus === 'scheduled' ? date ?? now().toISOString() : null;
    const wantedSlug = slugOf(status === 'trash' ? item.meta._wp_desired_post_slug ?? item.slug.replace(/__trashed$/, '') : item.slug)
      || slugFrom(title) || `${type}-${item.id}`;
    const slug = freeSlug(wantedSlug, title, type);
    const rendered = deps.renderPost(item.content, htmlToText(item.excerpt));
    const id = repo.addPost({
      type, status, statusBeforeTrash,
      slug: status === 'trash' ? `${slug}__trashed` : slug,
      title, lang: null,
      bodyMarkdown: item.content, sourceFormat: 'html', ...rendered,
      excerpt: htmlToText(item.excerpt),
      authorId: authorOf(item.creator),
      commentsOpen: item.commentStatus !== 'closed',
      password: item.password || null,
      sticky: item.sticky,
      publishedAt,
      createdAt: date ?? now().toISOString(),
      previewKey: crypto.randomBytes(16).toString('hex'),
    });
    repo.addOrigin(site, 'post', item.id, item.guid || null, id);
    if (item.parentId > 0 && type === 'page') parents.push({ kind: 'post', id, wpParent: item.parentId });
    const thumbnail = item.meta._thumbnail_id?.trim() ?? '';
    if (/^[1-9]\d{0,11}$/.test(thumbnail)) thumbnails.push({ id, wpAttachment: Number(thumbnail) });
    const oldPath = pathOf(item.link);
    if (oldPath && oldPath !== '/' && oldPath !== postPath({ type, slug, publishedAt }, timeZone)) repo.addRedirect(oldPath, id);
    for (const t of item.terms) {
      const taxonomy = t.taxonomy === 'category' ? 'category' : t.taxonomy === 'post_tag' ? 'tag' : null;
      if (!taxonomy) continue;
      const termId = repo.termBySlug(taxonomy, slugOf(t.slug) || slugFrom(text(t.name))) ?? term(taxonomy, t.slug, t.name, '', 0);
      if (termId !== undefined) repo.linkTerm(id, termId);
    }
    summary.imported[kind] += 1;
    comments(item, id);
  };

  const item = (record: WxrItem) => {
    if (record.postType === 'post' || record.postType === 'page') post(record);
    else if (record.postType === 'attachment') attachment(record);
    else skip('posts', `${record.postType} items are not kept`);
  };

  /** Terms come before items, a child possibly before its parent: they are nested once all are in. */
  const nestTerms = () => {
    if (termParents.length === 0) return;
    repo.transaction(() => termParents.splice(0).forEach(({ taxonomy, id, parentSlug }) => {
      const parent = repo.termBySlug(taxonomy, slugOf(parentSlug));
      if (parent !== undefined) repo.setTermParent(id, parent);
    }));
  };

  const flush = () => {
    if (batch.length === 0) return;
    const writing = batch;
    batch = [];
    repo.transaction(() => writing.forEach(item));
    done += writing.length;
    deps.onProgress?.('importing', done, items);
  };

  for await (const record of deps.read()) {
    if (record.kind === 'channel') {
      deps.onChannel?.(record);
      site ||= record.baseBlogUrl || record.link;
      summary.channel.title ||= text(record.title);
      summary.channel.tagline ||= text(record.description);
      summary.channel.language ||= record.language;
    } else if (record.kind === 'author') {
      repo.transaction(() => author(record.login, record.email.trim().toLowerCase(), text(record.displayName), record.id));
    } else if (record.kind === 'term') {
      const taxonomy = record.taxonomy === 'category' ? 'category' : record.taxonomy === 'post_tag' ? 'tag' : null;
      if (!taxonomy) {
        skip(record.taxonomy === 'category' ? 'categories' : 'tags', `taxonomy ${record.taxonomy} is not kept`);
        continue;
      }
      const id = repo.transaction(() => term(taxonomy, record.slug, record.name, record.description, record.id));
      if (id !== undefined && record.parentSlug) termParents.push({ taxonomy, id, parentSlug: record.parentSlug });
    } else {
      nestTerms();
      batch.push(record);
      if (batch.length >= BATCH) flush();
    }
  }
  flush();
  nestTerms();
  repo.transaction(() => {
    const pageParents = new Map<number, number>();
    for (const { kind, id, wpParent } of parents) {
      const parent = repo.origin(site, 'post', wpParent);
      if (parent === undefined) continue;
      if (kind === 'post') pageParents.set(id, parent);
      else repo.setMediaPost(id, parent);
    }
    for (const [id, parent] of pageParents) {
      if (levelsOf(id, pageParents) <= MAX_PAGE_DEPTH) repo.setPostParent(id, parent);
      else note(`page ${id}: its parents in the file loop or nest deeper than ${MAX_PAGE_DEPTH} levels, so it is a top-level page here`);
    }
    for (const { id, wpAttachment } of thumbnails) {
      const media = repo.origin(site, 'attachment', wpAttachment);
      if (media !== undefined) repo.setFeaturedImage(id, media);
    }
  });
  if (notesLeftOut > 0) summary.notes.push(`… and ${notesLeftOut} more like these`);
  return summary;
}
