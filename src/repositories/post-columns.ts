import type { Post, PostStatus, PostType } from '../models.js';
import { uploadPath } from '../permalinks.js';

/** The columns a post is read with, and the post a row of them makes: shared by every repository that reads posts. */

/** How deep pages nest: the editor refuses a parent that would make a page deeper. */
export const MAX_PAGE_DEPTH = 10;

/**
 * A page's ancestors' slugs ('a/b/'): a chain of primary-key seeks up parent_id, run only for a page that has a
 * parent. A fixed chain rather than a recursive query, so that the plan holds no scan (list-query-plans.test.ts).
 */
const ancestors = Array.from({ length: MAX_PAGE_DEPTH - 1 }, (_, i) => i + 1);
export const ANCESTRY = `CASE WHEN p.parent_id IS NULL THEN NULL ELSE (
    SELECT ${ancestors.map((i) => `coalesce(a${i}.slug || '/', '')`).reverse().join(' || ')}
    FROM posts a1 ${ancestors.slice(1).map((i) => `LEFT JOIN posts a${i} ON a${i}.id = a${i - 1}.parent_id`).join(' ')}
    WHERE a1.id = p.parent_id) END`;

/**
 * The columns a post is shown with, in the order of PostColumns; `full` adds its bodies and its ancestry, which no
 * list shows, at the end.
 */
const selectWith = (full: boolean) => `
  SELECT p.id, p.type, p.status, p.slug, p.title, p.lang, p.source_format AS sourceFormat, p.password, p.sticky,
         p.parent_id AS parentId, p.excerpt, p.excerpt_html AS excerptHtml, p.says_more AS saysMore,
         p.author_id AS authorId, u.login AS authorLogin, u.display_name AS authorName,
         p.comments_open AS commentsOpen, p.published_at AS publishedAt, p.updated_at AS updatedAt, p.preview_key AS previewKey,
         p.fedi_likes AS fediLikes, p.fedi_boosts AS fediBoosts,
         (SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'approved') AS commentCount,
         fm.id AS featuredId, fm.file_name AS featuredFile, fm.source_url AS featuredSource,
         fm.title AS featuredTitle, fm.original_name AS featuredOriginal, fm.mime AS featuredMime,
         fm.width AS featuredWidth, fm.height AS featuredHeight${full ? `,
         p.body_markdown AS bodyMarkdown, p.body_html AS bodyHtml, p.body_text AS bodyText, ${ANCESTRY} AS ancestry` : ''}
  FROM posts p JOIN users u ON u.id = p.author_id LEFT JOIN media fm ON fm.id = p.featured_media_id`;

/** A row of SELECT's columns, in order (a list's row ends before the bodies). */
type PostColumns = [
  id: number, type: PostType, status: PostStatus, slug: string, title: string, lang: string | null, sourceFormat: Post['sourceFormat'],
  password: string | null, sticky: number, parentId: number | null, excerpt: string, excerptHtml: string, saysMore: number,
  authorId: number, authorLogin: string, authorName: string, commentsOpen: number, publishedAt: string | null, updatedAt: string,
  previewKey: string, fediLikes: number, fediBoosts: number, commentCount: number,
  featuredId: number | null, featuredFile: string | null, featuredSource: string | null, featuredTitle: string | null,
  featuredOriginal: string | null, featuredMime: string | null, featuredWidth: number | null, featuredHeight: number | null,
  bodyMarkdown: string, bodyHtml: string, bodyText: string, ancestry: string | null,
];

export const SELECT = selectWith(true);
/**
 * A published post as a list shows it. Its bodies are most of its row, and decoding them was a third of a home
 * page's query; the ancestry's subquery another quarter, and only a page has one (lists hold posts only).
 */
export const SELECT_LISTED = selectWith(false);

/**
 * A post from a raw row (the statement's `.raw()`): better-sqlite3 makes each named row a slow dictionary object,
 * which with copying it into a post was over half of what a home page's query cost. Every post comes out with
 * one shape; a list's has its bodies undefined.
 */
export const postFromColumns = (row: unknown[]): Post => {
  const [id, type, status, slug, title, lang, sourceFormat, password, sticky, parentId, excerpt, excerptHtml, saysMore,
    authorId, authorLogin, authorName, commentsOpen, publishedAt, updatedAt, previewKey, fediLikes, fediBoosts, commentCount,
    featuredId, featuredFile, featuredSource, featuredTitle, featuredOriginal, featuredMime, featuredWidth, featuredHeight,
    bodyMarkdown, bodyHtml, bodyText, ancestry] = row as PostColumns;
  const src = featuredFile ? uploadPath(featuredFile) : featuredSource;
  // An imported attachment's title, else the uploaded file's name without its extension (as the library's Markdown).
  const name = featuredTitle?.trim() || (featuredOriginal ?? '').replace(/\.[^.]*$/, '').trim();
  const featuredImage = featuredId !== null && src ? { mediaId: featuredId, src, name, mime: featuredMime ?? '', width: featuredWidth, height: featuredHeight } : null;
  return {
    id, type, status, slug, title, lang, sourceFormat, password, sticky: sticky === 1, parentId, excerpt, excerptHtml,
    saysMore: saysMore === 1, authorId, authorLogin, authorName, commentsOpen: commentsOpen === 1, publishedAt, updatedAt,
    previewKey, fediLikes, fediBoosts, commentCount, featuredImage, bodyMarkdown, bodyHtml, bodyText, ancestry,
  };
};

/** A post from a named row of SELECT's columns (extra columns after them are left to the caller). */
export const toPost = (row: unknown): Post => postFromColumns(Object.values(row as object));
