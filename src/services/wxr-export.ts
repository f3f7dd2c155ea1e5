/**
 * The whole blog as WXR records, read in batches (keyset pages of posts, their terms and comments by one query per
 * batch), so an export of any size holds one batch in memory; src/wxr/writer.ts turns the records into XML.
 */
import { localeOf } from '../i18n/index.js';
import type { PostStatus } from '../models.js';
import { postPath, uploadPath } from '../permalinks.js';
import type { ExportComment, ExportMedia, ExportPost, ExportPostTerm, ExportTerm, WxrExportRepository } from '../repositories/wxr-export.js';
import { asHtml, wxrXml } from '../wxr/writer.js';
import type { WxrComment, WxrItem, WxrRecord, WxrTerm } from '../wxr/types.js';
import type { SettingsService } from './settings.js';
import { slugFrom } from './slugs.js';

export const EXPORT_BATCH = 500;

const WP_STATUS: Record<PostStatus, string> = { published: 'publish', draft: 'draft', scheduled: 'future', trash: 'trash' };
const WP_APPROVED: Record<ExportComment['status'], string> = { approved: '1', pending: '0', trash: 'trash' };
/** WordPress's "no date": a draft never published has no UTC date. */
const NO_DATE = '0000-00-00 00:00:00';
const TRASHED_END = /__trashed$/;

/** WordPress's `YYYY-MM-DD HH:MM:SS`: in UTC, and on the wall clock of a time zone. */
function dateFormats(timeZone: string) {
  const intl = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const gmt = (iso: string) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
  const local = (iso: string) => {
    const part: Record<string, string> = {};
    for (const { type, value } of intl.formatToParts(new Date(iso))) part[type] = value;
    return `${part.year.padStart(4, '0')}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
  };
  return { gmt, local };
}

/** A post trashed here without a recorded status: published or scheduled if it had a date by then, else a draft. */
const statusBeforeTrash = (post: ExportPost): PostStatus =>
  post.publishedAt === null ? 'draft' : post.publishedAt <= post.updatedAt ? 'published' : 'scheduled';

/** Categories before their children, however deep, as WordPress writes them (an importer then finds each parent). */
function parentsFirst(terms: ExportTerm[]): ExportTerm[] {
  const byId = new Map(terms.map((t) => [t.id, t]));
  const placed = new Set<number>();
  const ordered: ExportTerm[] = [];
  const place = (term: ExportTerm, seen: Set<number>) => {
    if (placed.has(term.id) || seen.has(term.id)) return;
    seen.add(term.id);
    const parent = term.parentId === null ? undefined : byId.get(term.parentId);
    if (parent) place(parent, seen);
    placed.add(term.id);
    ordered.push(term);
  };
  for (const term of terms) place(term, new Set());
  return ordered;
}

const groupByPost = <T extends { postId: number }>(rows: T[]) => {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const group = groups.get(row.postId);
    if (group) group.push(row);
    else groups.set(row.postId, [row]);
  }
  return groups;
};

export interface WxrExportDeps {
  repo: WxrExportRepository;
  settings: SettingsService;
  now?: () => Date;
  batchSize?: number;
}

export function createWxrExport({ repo, settings, now = () => new Date(), batchSize = EXPORT_BATCH }: WxrExportDeps) {
  function* records(onItem: () => void = () => {}): Generator<WxrRecord> {
    const site = settings.get();
    const siteUrl = settings.siteUrl();
    const dates = dateFormats(site.timeZone);
    yield { kind: 'channel', wxrVersion: '1.2', title: site.title, link: siteUrl, description: site.tagline, language: localeOf(site.language), baseSiteUrl: siteUrl, baseBlogUrl: siteUrl };
    for (const user of repo.users()) {
      yield { kind: 'author', id: user.id, login: user.login, email: user.email, displayName: asHtml(user.displayName), firstName: '', lastName: '' };
    }
    const terms = parentsFirst(repo.terms());
    const slugOf = new Map(terms.map((t) => [t.id, t.slug]));
    for (const term of terms) {
      const parentSlug = term.parentId === null ? '' : (slugOf.get(term.parentId) ?? '');
      yield { kind: 'term', taxonomy: term.taxonomy === 'tag' ? 'post_tag' : 'category', id: term.id, slug: term.slug, name: asHtml(term.name), parentSlug, description: term.description } satisfies WxrTerm;
    }

    const comment = (c: ExportComment): WxrComment => ({
      id: c.id, parentId: c.parentId ?? 0, author: asHtml(c.authorName), authorEmail: c.authorEmail, authorUrl: c.authorUrl, authorIp: c.authorIp,
      date: dates.local(c.createdAt), dateGmt: dates.gmt(c.createdAt), content: c.bodyHtml, approved: WP_APPROVED[c.status],
      type: 'comment', userId: c.userId ?? 0, meta: {},
    });

    // Attachments share WordPress's post ids, so they are numbered after the highest post id; a post written while
    // the export runs waits for the next one, so that no attachment takes its number.
    const offset = repo.highestPostId();

    const item = (post: ExportPost, postTerms: ExportPostTerm[], comments: ExportComment[]): WxrItem => {
      const published = post.status === 'published' && post.publishedAt !== null;
      const meta: Record<string, string> = {};
      // WordPress's featured image: the attachment's post id.
      if (post.featuredMediaId !== null) meta._thumbnail_id = String(offset + post.featuredMediaId);
      if (post.status === 'trash') {
        // The status before trashing, as WordPress keeps it; our trash renames the slug as WordPress does.
        meta._wp_trash_meta_status = WP_STATUS[post.statusBeforeTrash ?? statusBeforeTrash(post)];
        meta._wp_trash_meta_time = String(Math.floor(Date.parse(post.updatedAt) / 1000));
        meta._wp_desired_post_slug = post.slug.replace(TRASHED_END, '');
      }
      return {
        kind: 'item', postType: post.type, id: post.id, title: asHtml(post.title),
        link: published ? `${siteUrl}${postPath(post, site.timeZone)}` : `${siteUrl}/?${post.type === 'page' ? 'page_id' : 'p'}=${post.id}`,
        guid: post.guid ?? `${siteUrl}/?p=${post.id}`, creator: post.authorLogin,
        content: post.sourceFormat === 'html' ? post.source : post.bodyHtml, excerpt: asHtml(post.excerpt),
        postDate: dates.local(post.publishedAt ?? post.createdAt), postDateGmt: post.publishedAt ? dates.gmt(post.publishedAt) : NO_DATE,
        status: WP_STATUS[post.status], slug: post.slug, parentId: post.parentId ?? 0, menuOrder: 0,
        commentStatus: post.commentsOpen ? 'open' : 'closed', password: post.password ?? '', sticky: post.sticky === 1, attachmentUrl: '',
        terms: postTerms.map((t) => ({ taxonomy: t.taxonomy === 'tag' ? 'post_tag' : 'category', slug: t.slug, name: asHtml(t.name) })),
        meta, comments: comments.map(comment),
      };
    };

    const postsAfter = (after: number) => repo.postsAfter(after, batchSize).filter((post) => post.id <= offset);
    for (let after = 0, batch = postsAfter(after); batch.length > 0; batch = postsAfter(after)) {
      const first = batch[0].id;
      after = batch[batch.length - 1].id;
      const termsOf = groupByPost(repo.termsOfPosts(first, after));
      const commentsOf = groupByPost(repo.commentsOfPosts(first, after));
      for (const post of batch) {
        yield item(post, termsOf.get(post.id) ?? [], commentsOf.get(post.id) ?? []);
        onItem();
      }
    }

    const attachment = (m: ExportMedia): WxrItem => {
      const url = m.fileName ? `${siteUrl}${uploadPath(m.fileName)}` : (m.sourceUrl ?? '');
      return {
        kind: 'item', postType: 'attachment', id: offset + m.id, title: asHtml(m.title || m.originalName), link: url, guid: m.guid ?? url,
        creator: m.uploaderLogin, content: '', excerpt: '', postDate: dates.local(m.createdAt), postDateGmt: dates.gmt(m.createdAt),
        status: 'inherit', slug: slugFrom(m.originalName.replace(/\.\w{1,8}$/, '')), parentId: m.postId ?? 0, menuOrder: 0,
        commentStatus: 'closed', password: '', sticky: false, attachmentUrl: url, terms: [], meta: {}, comments: [],
      };
    };
    for (let after = 0, batch = repo.mediaAfter(after, batchSize); batch.length > 0; batch = repo.mediaAfter(after, batchSize)) {
      after = batch[batch.length - 1].id;
      for (const media of batch) {
        yield attachment(media);
        onItem();
      }
    }
  }

  return {
    /** How many items (posts, pages, attachments) an export writes now, for a progress bar. */
    itemCount: () => {
      const { posts, media } = repo.counts();
      return posts + media;
    },
    /** `<site>-YYYY-MM-DD.xml`, dated in the blog's time zone. */
    fileName: () => `${slugFrom(settings.get().title) || 'blog'}-${dateFormats(settings.get().timeZone).local(now().toISOString()).slice(0, 10)}.xml`,
    /** The WXR file, piece by piece (one item a piece), read from the database as it is pulled. */
    document: (onItem?: () => void): Generator<string> => wxrXml(records(onItem)),
  };
}

export type WxrExport = ReturnType<typeof createWxrExport>;
