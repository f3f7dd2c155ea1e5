import type { Database } from 'better-sqlite3';
import type { Post, PostLink, PostStatus, PostType } from '../models.js';

export interface PostRow extends Omit<Post, 'commentsOpen'> {
  commentsOpen: number;
}

export type ListingFilter =
  | { kind: 'all' }
  | { kind: 'term'; termId: number }
  | { kind: 'author'; authorId: number }
  | { kind: 'range'; from: string; to: string };

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
  authorId: number;
  commentsOpen: boolean;
  publishedAt: string | null;
  previewKey: string;
}

export interface SearchHit {
  post: Post;
  /** Plain text with U+E000 / U+E001 around each match, escaped and marked up by the caller. */
  snippet: string;
}

export interface PostsRepository {
  insert(post: NewPost): number;
  findPublished(type: PostType, slug: string): Post | undefined;
  findById(id: number): Post | undefined;
  /** Published posts, newest first. */
  listPublished(filter: ListingFilter, limit: number, offset: number): Post[];
  countPublished(filter: ListingFilter): number;
  /** The published posts just older and just newer than the given one. */
  neighbours(post: Post): { previous?: PostLink; next?: PostLink };
  search(match: string, limit: number, offset: number): SearchHit[];
  countSearch(match: string): number;
  /** Every published post and page, for the sitemap. */
  allPublished(): Post[];
}

export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export const SELECT = `
  SELECT p.id, p.type, p.status, p.slug, p.title, p.lang, p.body_markdown AS bodyMarkdown,
         p.body_html AS bodyHtml, p.body_text AS bodyText, p.excerpt, p.excerpt_html AS excerptHtml,
         p.author_id AS authorId, u.login AS authorLogin, u.display_name AS authorName,
         p.comments_open AS commentsOpen, p.published_at AS publishedAt, p.updated_at AS updatedAt, p.preview_key AS previewKey,
         (SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'approved') AS commentCount
  FROM posts p JOIN users u ON u.id = p.author_id`;

const FILTERS: Record<ListingFilter['kind'], string> = {
  all: '',
  term: 'AND p.id IN (SELECT post_id FROM post_terms WHERE term_id = @termId)',
  author: 'AND p.author_id = @authorId',
  range: 'AND p.published_at >= @from AND p.published_at < @to',
};

export const toPost = (row: unknown): Post => {
  const r = row as PostRow;
  return { ...r, commentsOpen: r.commentsOpen === 1 };
};

export function createPostsRepository(db: Database): PostsRepository {
  const insert = db.prepare(`
    INSERT INTO posts (type, status, slug, title, lang, body_markdown, body_html, body_text, excerpt,
                       excerpt_html, author_id, comments_open, published_at, preview_key)
    VALUES (@type, @status, @slug, @title, @lang, @bodyMarkdown, @bodyHtml, @bodyText, @excerpt,
            @excerptHtml, @authorId, @commentsOpen, @publishedAt, @previewKey)`);
  const byId = db.prepare(`${SELECT} WHERE p.id = ?`);
  const published = db.prepare(`${SELECT} WHERE p.type = ? AND p.slug = ? AND p.status = 'published'`);
  const listing = Object.fromEntries(
    Object.entries(FILTERS).map(([kind, where]) => [
      kind,
      {
        list: db.prepare(`${SELECT} WHERE p.type = 'post' AND p.status = 'published' ${where}
                          ORDER BY p.published_at DESC, p.id DESC LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT count(*) FROM posts p WHERE p.type = 'post' AND p.status = 'published' ${where}`).pluck(),
      },
    ]),
  ) as Record<ListingFilter['kind'], { list: ReturnType<Database['prepare']>; count: ReturnType<Database['prepare']> }>;
  // Post navigation needs only a title and a permalink, not two more bodies.
  const LINK = 'SELECT p.id, p.type, p.slug, p.title, p.published_at AS publishedAt FROM posts p';
  const previous = db.prepare(`${LINK} WHERE p.type = 'post' AND p.status = 'published'
    AND (p.published_at < @publishedAt OR (p.published_at = @publishedAt AND p.id < @id))
    ORDER BY p.published_at DESC, p.id DESC LIMIT 1`);
  const next = db.prepare(`${LINK} WHERE p.type = 'post' AND p.status = 'published'
    AND (p.published_at > @publishedAt OR (p.published_at = @publishedAt AND p.id > @id))
    ORDER BY p.published_at ASC, p.id ASC LIMIT 1`);
  const search = db.prepare(`
    SELECT hit.snippet, hit.rank, p.* FROM (
      SELECT rowid, snippet(posts_fts, 1, '${MATCH_START}', '${MATCH_END}', '…', 24) AS snippet,
             bm25(posts_fts, 10.0, 1.0) AS rank
      FROM posts_fts WHERE posts_fts MATCH @match
    ) hit JOIN (${SELECT}) p ON p.id = hit.rowid
    WHERE p.status = 'published'
    ORDER BY hit.rank, p.publishedAt DESC LIMIT @limit OFFSET @offset`);
  const countSearch = db.prepare(`
    SELECT count(*) FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
    WHERE posts_fts MATCH ? AND p.status = 'published'`).pluck();
  const allPublished = db.prepare(`${SELECT} WHERE p.status = 'published' ORDER BY p.type, p.published_at DESC`);

  const params = (filter: ListingFilter) => {
    const { kind: _kind, ...rest } = filter;
    return rest;
  };

  return {
    insert: (post) => Number(insert.run({ ...post, commentsOpen: post.commentsOpen ? 1 : 0 }).lastInsertRowid),
    findPublished: (type, slug) => {
      const row = published.get(type, slug);
      return row ? toPost(row) : undefined;
    },
    findById: (id) => {
      const row = byId.get(id);
      return row ? toPost(row) : undefined;
    },
    listPublished: (filter, limit, offset) =>
      listing[filter.kind].list.all({ ...params(filter), limit, offset }).map(toPost),
    countPublished: (filter) => listing[filter.kind].count.get(params(filter)) as number,
    neighbours(post) {
      const at = { publishedAt: post.publishedAt, id: post.id };
      return { previous: previous.get(at) as PostLink | undefined, next: next.get(at) as PostLink | undefined };
    },
    search: (match, limit, offset) =>
      (search.all({ match, limit, offset }) as ({ snippet: string; rank: number } & PostRow)[]).map(
        ({ snippet, rank: _rank, ...row }) => ({ snippet, post: toPost(row) }),
      ),
    countSearch: (match) => countSearch.get(match) as number,
    allPublished: () => allPublished.all().map(toPost),
  };
}
