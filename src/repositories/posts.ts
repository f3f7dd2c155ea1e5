import type { Database } from 'better-sqlite3';
import type { ListedPost, Post, PostLink, PostStatus, PostType } from '../models.js';
import { listingKey, monthWindow, type ListingFilter } from './listing-window.js';
import { ANCESTRY, postFromColumns, SELECT, SELECT_LISTED } from './post-columns.js';

export interface NewPost {
  type: PostType;
  status: PostStatus;
  slug: string;
  title: string;
  lang: string | null;
  bodyMarkdown: string;
  bodyHtml: string;
  bodyText: string;
  excerpt: string;
  excerptHtml: string;
  saysMore: boolean;
  authorId: number;
  commentsOpen: boolean;
  publishedAt: string | null;
  previewKey: string;
  /** What bodyMarkdown holds; Markdown unless said (WordPress's HTML when imported). */
  sourceFormat?: Post['sourceFormat'];
}

export interface PostsRepository {
  insert(post: NewPost): number;
  findPublished(type: PostType, slug: string): Post | undefined;
  findById(id: number): Post | undefined;
  /** A post without its bodies or a page's ancestry: what a comment's checks and notices read. */
  findListedById(id: number): ListedPost | undefined;
  /** Published posts, newest first, without their bodies. */
  listPublished(filter: ListingFilter, limit: number, offset: number): ListedPost[];
  /** The same with their bodies, as feeds carry them. */
  listPublishedWithBodies(filter: ListingFilter, limit: number, offset: number): Post[];
  countPublished(filter: ListingFilter): number;
  /** Published sticky posts, newest first (the posts_sticky index), without their bodies. */
  listSticky(): ListedPost[];
  /** The published posts just older and just newer than the given one. */
  neighbours(post: Post): { previous?: PostLink; next?: PostLink };
  /** Published posts and pages with ids from `fromId` to `toId`, by id: one sitemap file. */
  sitemapEntries(fromId: number, toId: number): SitemapEntry[];
  /** How many posts and pages are published, counting no further than `limit`. */
  countPublishedUpTo(limit: number): number;
  /** The spans of SITEMAP_SPAN ids (numbered from 1) that hold published posts or pages, and their last change. */
  sitemapSpans(): { span: number; lastmod: string }[];
}

/**
 * How many ids one sitemap file covers (with the home page, 2,000 URLs at most). The index that finds each span's
 * last change is built on this number (migrations/0024_sitemap_indexes.sql): change both together.
 */
export const SITEMAP_SPAN = 1999;

/** `updatedAt` as a sitemap writes it (null if the stored time is not one). */
export type SitemapEntry = Pick<Post, 'type' | 'slug' | 'publishedAt'> & { updatedAt: string | null; ancestry: string | null };

// Conditions on the posts table (unaliased), inside the subquery that picks a page's ids.
const FILTERS: Record<Exclude<ListingFilter['kind'], 'term' | 'terms'>, string> = {
  all: '',
  author: 'AND author_id = @authorId',
  range: 'AND published_at >= @from AND published_at < @to',
};

export function createPostsRepository(db: Database): PostsRepository {
  const insert = db.prepare(`
    INSERT INTO posts (type, status, slug, title, lang, body_markdown, source_format, body_html, body_text, excerpt,
                       excerpt_html, says_more, author_id, comments_open, published_at, preview_key)
    VALUES (@type, @status, @slug, @title, @lang, @bodyMarkdown, @sourceFormat, @bodyHtml, @bodyText, @excerpt,
            @excerptHtml, @saysMore, @authorId, @commentsOpen, @publishedAt, @previewKey)`);
  // Raw rows, made posts by postFromColumns.
  const byId = db.prepare(`${SELECT} WHERE p.id = ?`).raw();
  const published = db.prepare(`${SELECT} WHERE p.type = ? AND p.slug = ? AND p.status = 'published'`).raw();
  // A category tree's posts: each term's range of its listing index, merged without duplicates.
  const TREE = `FROM post_terms WHERE term_id IN (SELECT value FROM json_each(@termIds)) AND listed_at IS NOT NULL`;
  // A page's ids come off the listing index alone; only those rows are then read whole.
  const listingStatements = (select: string) => ({
    ...Object.fromEntries(
      Object.entries(FILTERS).map(([kind, where]) => [
        kind,
        db.prepare(`${select} WHERE p.id IN (
            SELECT id FROM posts WHERE type = 'post' AND status = 'published' ${where}
              AND published_at >= @windowFrom AND published_at < @windowTo
            ORDER BY published_at DESC, id DESC LIMIT @limit OFFSET @skip)
          ORDER BY p.published_at DESC, p.id DESC`).raw(),
      ]),
    ),
    // A term's page is a range of its own index (migration 0010): no posts row is read but the page's.
    term: db.prepare(`${select} WHERE p.id IN (
        SELECT post_id FROM post_terms WHERE term_id = @termId AND listed_at >= @windowFrom AND listed_at < @windowTo
        ORDER BY listed_at DESC, post_id DESC LIMIT @limit OFFSET @skip)
      ORDER BY p.published_at DESC, p.id DESC`).raw(),
    terms: db.prepare(`${select} WHERE p.id IN (
        SELECT post_id ${TREE} GROUP BY post_id ORDER BY max(listed_at) DESC, post_id DESC LIMIT @limit OFFSET @skip)
      ORDER BY p.published_at DESC, p.id DESC`).raw(),
  }) as Record<ListingFilter['kind'], ReturnType<Database['prepare']>>;
  const listed = listingStatements(SELECT_LISTED);
  const listedWithBodies = listingStatements(SELECT);
  const listedById = db.prepare(`${SELECT_LISTED} WHERE p.id = ?`).raw();
  // The planner would walk the listing index of every published post to find the few sticky ones.
  const sticky = db.prepare(`${SELECT_LISTED} WHERE p.id IN (SELECT id FROM posts INDEXED BY posts_sticky
      WHERE sticky = 1 AND type = 'post' AND status = 'published')
    ORDER BY p.published_at DESC, p.id DESC`).raw();
  const treeCount = db.prepare(`SELECT count(DISTINCT post_id) ${TREE}`).pluck();
  const months = db.prepare('SELECT month, n FROM listing_months WHERE listing = ? AND n > 0 ORDER BY month DESC');
  const monthsTotal = db.prepare('SELECT coalesce(sum(n), 0) FROM listing_months WHERE listing = ?').pluck();
  const rangeCount = db.prepare(`SELECT count(*) FROM posts
    WHERE type = 'post' AND status = 'published' AND published_at >= @from AND published_at < @to`).pluck();
  // Post navigation needs only a title and a permalink, not two more bodies: both neighbours in one statement,
  // each a seek on the listing index.
  const LINK = 'SELECT id, type, slug, title, published_at AS publishedAt FROM posts';
  const neighbours = db.prepare(`
    SELECT 'previous' AS side, * FROM (${LINK} WHERE type = 'post' AND status = 'published'
      AND (published_at, id) < (@publishedAt, @id) ORDER BY published_at DESC, id DESC LIMIT 1)
    UNION ALL
    SELECT 'next' AS side, * FROM (${LINK} WHERE type = 'post' AND status = 'published'
      AND (published_at, id) > (@publishedAt, @id) ORDER BY published_at ASC, id ASC LIMIT 1)`);
  // Rows as arrays: objects made by the driver cost more than the query for a file of 2,000. updated_at is written
  // in more than one way; strftime gives it the form a sitemap shows.
  const sitemapEntries = db.prepare(`SELECT p.type, p.slug, p.published_at,
      strftime('%Y-%m-%dT%H:%M:%fZ', p.updated_at), ${ANCESTRY} FROM posts p
    WHERE p.id BETWEEN ? AND ? AND p.status = 'published' ORDER BY p.id`).raw();
  const publishedUpTo = db.prepare("SELECT count(*) FROM (SELECT 1 FROM posts WHERE status = 'published' LIMIT ?)").pluck();
  // Each span's last change is a seek on posts_sitemap_spans, whose expression this repeats.
  const SPAN_OF_ID = `(id - 1) / ${SITEMAP_SPAN}`;
  const sitemapSpans = db.prepare(`WITH RECURSIVE spans(n) AS (
      SELECT 0 UNION ALL SELECT n + 1 FROM spans WHERE n < (SELECT max(${SPAN_OF_ID}) FROM posts WHERE status = 'published'))
    SELECT n + 1 AS span, lastmod FROM (
      SELECT n, (SELECT strftime('%Y-%m-%dT%H:%M:%fZ', max(updated_at)) FROM posts WHERE status = 'published' AND ${SPAN_OF_ID} = n) AS lastmod
      FROM spans)
    WHERE lastmod IS NOT NULL`);

  const params = (filter: ListingFilter) => {
    const { kind: _kind, ...rest } = filter;
    return rest;
  };

  /** A page of a listing's rows, read with one of the statement sets above. */
  function list(statements: typeof listed, filter: ListingFilter, limit: number, offset: number): unknown[][] {
    if (filter.kind === 'terms') return statements.terms.all({ termIds: JSON.stringify(filter.termIds), limit, skip: offset }) as unknown[][];
    const key = listingKey(filter);
    const window = key === null
      ? { from: '', to: '\uffff', skip: offset }
      : monthWindow(months.iterate(key) as IterableIterator<{ month: string; n: number }>, limit, offset);
    if (!window) return [];
    return statements[filter.kind].all({ ...params(filter), windowFrom: window.from, windowTo: window.to, limit, skip: window.skip }) as unknown[][];
  }

  return {
    insert: (post) => Number(insert.run({ ...post, sourceFormat: post.sourceFormat ?? 'markdown', commentsOpen: post.commentsOpen ? 1 : 0, saysMore: post.saysMore ? 1 : 0 }).lastInsertRowid),
    findPublished: (type, slug) => {
      const row = published.get(type, slug) as unknown[] | undefined;
      return row ? postFromColumns(row) : undefined;
    },
    findById: (id) => {
      const row = byId.get(id) as unknown[] | undefined;
      return row ? postFromColumns(row) : undefined;
    },
    findListedById: (id) => {
      const row = listedById.get(id) as unknown[] | undefined;
      return row ? postFromColumns(row) : undefined;
    },
    listPublished: (filter, limit, offset) => list(listed, filter, limit, offset).map(postFromColumns),
    listPublishedWithBodies: (filter, limit, offset) => list(listedWithBodies, filter, limit, offset).map(postFromColumns),
    countPublished(filter) {
      if (filter.kind === 'terms') return treeCount.get({ termIds: JSON.stringify(filter.termIds) }) as number;
      const key = listingKey(filter);
      return (key === null ? rangeCount.get(params(filter)) : monthsTotal.get(key)) as number;
    },
    listSticky: () => (sticky.all() as unknown[][]).map(postFromColumns),
    neighbours(post) {
      const found: { previous?: PostLink; next?: PostLink } = { previous: undefined, next: undefined };
      for (const { side, ...link } of neighbours.all({ publishedAt: post.publishedAt, id: post.id }) as (PostLink & { side: 'previous' | 'next' })[]) {
        found[side] = link;
      }
      return found;
    },
    sitemapEntries: (fromId, toId) => (sitemapEntries.all(fromId, toId) as [Post['type'], string, string | null, string | null, string | null][])
      .map(([type, slug, publishedAt, updatedAt, ancestry]) => ({ type, slug, publishedAt, updatedAt, ancestry })),
    countPublishedUpTo: (limit) => publishedUpTo.get(limit) as number,
    sitemapSpans: () => sitemapSpans.all() as { span: number; lastmod: string }[],
  };
}
