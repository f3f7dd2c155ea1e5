import crypto from 'node:crypto';
import path from 'node:path';
import { postPath } from '../permalinks.js';
import { MAX_PAGE_DEPTH } from '../repositories/post-columns.js';
import type { WxrImportRepository } from '../repositories/wxr-import.js';
import type { RenderedPost } from '../services/markdown.js';
import { htmlToText } from '../services/markdown.js';
import { isReservedPageSlug, wordpressSlugFrom } from '../services/slugs.js';
import { importAuthors } from './import-authors.js';
import { importComments } from './import-comments.js';
import { keepSummary, type ImportContext, type ImportSummary } from './import-summary.js';
import { importTerms } from './import-terms.js';
import type { WxrChannel, WxrItem, WxrRecord } from './types.js';
import { isoDate, mimeOf, pathOf, POST_STATUS, slugOf, text } from './wordpress-values.js';

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

/** How many levels a page and its ancestors make, following the file's parents; a loop counts as too many. */
function levelsOf(id: number, parents: Map<number, number>): number {
  const seen = new Set([id]);
  for (let parent = parents.get(id); parent !== undefined; parent = parents.get(parent)) {
    if (seen.has(parent)) return Number.POSITIVE_INFINITY;
    seen.add(parent);
  }
  return seen.size;
}

/**
 * Imports a WordPress export. The whole file is read once first, so a malformed, foreign or cut-short file stops
 * before anything is written; then it is read again and written in batches. Every item is recorded in wp_origins,
 * so importing the same file again writes nothing, and WordPress's ids keep finding their posts.
 */
export async function importWxr(deps: WxrImportDeps): Promise<ImportSummary> {
  const { repo, timeZone, now } = deps;

  let items = 0;
  for await (const record of deps.read((done, total) => deps.onProgress?.('checking', done, total))) if (record.kind === 'item') items += 1;

  const ctx: ImportContext = { ...keepSummary(), repo, site: '', timeZone, now };
  const { summary, skip, note } = ctx;
  const authors = importAuthors(ctx);
  const terms = importTerms(ctx);
  /** Pages and attachments whose WordPress parent may come later in the file. */
  const parents: { kind: 'post' | 'attachment'; id: number; wpParent: number }[] = [];
  /** Posts' featured images (_thumbnail_id): attachments that may come later in the file. */
  const thumbnails: { id: number; wpAttachment: number }[] = [];
  let batch: WxrItem[] = [];
  let done = 0;

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

  const attachment = (item: WxrItem) => {
    const already = repo.origin(ctx.site, 'attachment', item.id) ?? repo.originByGuid(item.guid);
    if (already !== undefined) return skip('attachments', 'already imported');
    const url = item.attachmentUrl || item.guid;
    if (!/^https?:\/\//i.test(url)) return skip('attachments', 'no http(s) address');
    const name = path.posix.basename(pathOf(url) ?? url);
    const id = repo.addMedia({
      sourceUrl: url,
      originalName: name,
      title: text(item.title),
      mime: mimeOf(name),
      uploadedBy: authors.idOf(item.creator),
      createdAt: isoDate(item.postDateGmt, item.postDate, timeZone) ?? now().toISOString(),
    });
    repo.addOrigin(ctx.site, 'attachment', item.id, item.guid || null, id);
    if (item.parentId > 0) parents.push({ kind: 'attachment', id, wpParent: item.parentId });
    summary.imported.attachments += 1;
  };

  const post = (item: WxrItem) => {
    const type = item.postType as 'post' | 'page';
    const kind = type === 'post' ? 'posts' : 'pages';
    const known = repo.origin(ctx.site, 'post', item.id) ?? repo.originByGuid(item.guid);
    if (known !== undefined) {
      skip(kind, 'already imported');
      importComments(ctx, deps.renderComment, item, known);
      return;
    }
    const status = POST_STATUS[item.status];
    if (!status) return skip(kind, `status “${item.status}” is not kept`);
    if (item.status === 'private') note(`“${text(item.title)}” was private in WordPress: it is a draft here`);
    const title = text(item.title);
    const statusBeforeTrash = status === 'trash' ? POST_STATUS[item.meta._wp_trash_meta_status ?? ''] ?? 'draft' : null;
    const visibleStatus = statusBeforeTrash ?? status;
    const date = isoDate(item.postDateGmt, item.postDate, timeZone);
    const publishedAt = visibleStatus === 'published' || visibleStatus === 'scheduled' ? date ?? now().toISOString() : null;
    const wantedSlug = slugOf(status === 'trash' ? item.meta._wp_desired_post_slug ?? item.slug.replace(/__trashed$/, '') : item.slug)
      || wordpressSlugFrom(title) || `${type}-${item.id}`;
    const slug = freeSlug(wantedSlug, title, type);
    const rendered = deps.renderPost(item.content, htmlToText(item.excerpt));
    const id = repo.addPost({
      type, status, statusBeforeTrash,
      slug: status === 'trash' ? `${slug}__trashed` : slug,
      title, lang: null,
      bodyMarkdown: item.content, sourceFormat: 'html', ...rendered,
      excerpt: htmlToText(item.excerpt),
      authorId: authors.idOf(item.creator),
      commentsOpen: item.commentStatus !== 'closed',
      password: item.password || null,
      sticky: item.sticky,
      publishedAt,
      createdAt: date ?? now().toISOString(),
      previewKey: crypto.randomBytes(16).toString('hex'),
    });
    repo.addOrigin(ctx.site, 'post', item.id, item.guid || null, id);
    if (item.parentId > 0 && type === 'page') parents.push({ kind: 'post', id, wpParent: item.parentId });
    const thumbnail = item.meta._thumbnail_id?.trim() ?? '';
    if (/^[1-9]\d{0,11}$/.test(thumbnail)) thumbnails.push({ id, wpAttachment: Number(thumbnail) });
    const oldPath = pathOf(item.link);
    if (oldPath && oldPath !== '/' && oldPath !== postPath({ type, slug, publishedAt }, timeZone)) repo.addRedirect(oldPath, id);
    terms.link(id, item.terms);
    summary.imported[kind] += 1;
    importComments(ctx, deps.renderComment, item, id);
  };

  const item = (record: WxrItem) => {
    if (record.postType === 'post' || record.postType === 'page') post(record);
    else if (record.postType === 'attachment') attachment(record);
    else skip('posts', `${record.postType} items are not kept`);
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
      ctx.site ||= record.baseBlogUrl || record.link;
      summary.channel.title ||= text(record.title);
      summary.channel.tagline ||= text(record.description);
      summary.channel.language ||= record.language;
    } else if (record.kind === 'author') {
      authors.add(record);
    } else if (record.kind === 'term') {
      terms.add(record);
    } else {
      terms.nest();
      batch.push(record);
      if (batch.length >= BATCH) flush();
    }
  }
  flush();
  terms.nest();
  repo.transaction(() => {
    const pageParents = new Map<number, number>();
    for (const { kind, id, wpParent } of parents) {
      const parent = repo.origin(ctx.site, 'post', wpParent);
      if (parent === undefined) continue;
      if (kind === 'post') pageParents.set(id, parent);
      else repo.setMediaPost(id, parent);
    }
    for (const [id, parent] of pageParents) {
      if (levelsOf(id, pageParents) <= MAX_PAGE_DEPTH) repo.setPostParent(id, parent);
      else note(`page ${id}: its parents in the file loop or nest deeper than ${MAX_PAGE_DEPTH} levels, so it is a top-level page here`);
    }
    for (const { id, wpAttachment } of thumbnails) {
      const media = repo.origin(ctx.site, 'attachment', wpAttachment);
      if (media !== undefined) repo.setFeaturedImage(id, media);
    }
  });
  return ctx.finish();
}
