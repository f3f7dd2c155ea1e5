import type { Database } from 'better-sqlite3';
import type { PostStatus, PostType, Taxonomy } from '../models.js';
import { ANCESTRY } from './post-columns.js';

export interface ExportUser {
  id: number;
  login: string;
  email: string;
  displayName: string;
}

export interface ExportTerm {
  id: number;
  taxonomy: Taxonomy;
  slug: string;
  name: string;
  description: string;
  parentId: number | null;
}

export interface ExportPost {
  id: number;
  type: PostType;
  status: PostStatus;
  statusBeforeTrash: PostStatus | null;
  slug: string;
  title: string;
  source: string;
  sourceFormat: 'markdown' | 'html';
  bodyHtml: string;
  excerpt: string;
  authorLogin: string;
  commentsOpen: number;
  password: string | null;
  sticky: number;
  parentId: number | null;
  /** A page's ancestors' slugs ('a/b/'), for its permalink. */
  ancestry: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The GUID the post came with from WordPress, if it was imported. */
  guid: string | null;
  /** Its featured image's media id, or null. */
  featuredMediaId: number | null;
}

export interface ExportPostTerm {
  postId: number;
  taxonomy: Taxonomy;
  slug: string;
  name: string;
}

/** A comment that is not spam; parentId is null when it has no parent or its parent is spam (left out too). */
export interface ExportComment {
  id: number;
  postId: number;
  parentId: number | null;
  status: 'approved' | 'pending' | 'trash';
  authorName: string;
  authorEmail: string;
  authorUrl: string;
  authorIp: string;
  userId: number | null;
  bodyHtml: string;
  createdAt: string;
}

export interface ExportMedia {
  id: number;
  fileName: string | null;
  sourceUrl: string | null;
  originalName: string;
  title: string;
  mime: string;
  uploaderLogin: string;
  postId: number | null;
  createdAt: string;
  guid: string | null;
}

export interface WxrExportRepository {
  users(): ExportUser[];
  terms(): ExportTerm[];
  /** Posts and pages with an id above `afterId`, by id: keyset pages that stay cheap however deep. */
  postsAfter(afterId: number, limit: number): ExportPost[];
  /** The categories and tags of the posts whose ids lie from first to last, in one query. */
  termsOfPosts(first: number, last: number): ExportPostTerm[];
  /** The comments (spam left out) of the posts whose ids lie from first to last, by post and id. */
  commentsOfPosts(first: number, last: number): ExportComment[];
  mediaAfter(afterId: number, limit: number): ExportMedia[];
  /** Attachments need ids of their own beside the posts': they are numbered after the highest post id. */
  highestPostId(): number;
  counts(): { posts: number; media: number };
}

export function createWxrExportRepository(db: Database): WxrExportRepository {
  const users = db.prepare("SELECT id, login, coalesce(email, '') AS email, display_name AS displayName FROM users ORDER BY id");
  const terms = db.prepare('SELECT id, taxonomy, slug, name, description, parent_id AS parentId FROM terms ORDER BY id');
  const postsAfter = db.prepare(`
    SELECT p.id, p.type, p.status, p.status_before_trash AS statusBeforeTrash, p.slug, p.title, p.body_markdown AS source,
           p.source_format AS sourceFormat, p.body_html AS bodyHtml, p.excerpt, u.login AS authorLogin,
           p.comments_open AS commentsOpen, p.password, p.sticky, p.parent_id AS parentId, ${ANCESTRY} AS ancestry, p.published_at AS publishedAt,
           p.created_at AS createdAt, p.updated_at AS updatedAt, p.featured_media_id AS featuredMediaId,
           (SELECT o.guid FROM wp_origins o WHERE o.kind = 'post' AND o.local_id = p.id AND o.guid IS NOT NULL LIMIT 1) AS guid
    FROM posts p JOIN users u ON u.id = p.author_id
    WHERE p.id > ? ORDER BY p.id LIMIT ?`);
  const termsOfPosts = db.prepare(`
    SELECT pt.post_id AS postId, t.taxonomy, t.slug, t.name
    FROM post_terms pt JOIN terms t ON t.id = pt.term_id
    WHERE pt.post_id BETWEEN ? AND ? ORDER BY pt.post_id, t.taxonomy, t.name`);
  const commentsOfPosts = db.prepare(`
    SELECT c.id, c.post_id AS postId, CASE WHEN p.status = 'spam' THEN NULL ELSE c.parent_id END AS parentId, c.status,
           c.author_name AS authorName, c.author_email AS authorEmail, c.author_url AS authorUrl, c.author_ip AS authorIp,
           c.user_id AS userId, c.body_html AS bodyHtml, c.created_at AS createdAt
    FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
    WHERE c.post_id BETWEEN ? AND ? AND c.status <> 'spam' ORDER BY c.post_id, c.id`);
  const mediaAfter = db.prepare(`
    SELECT m.id, m.file_name AS fileName, m.source_url AS sourceUrl, m.original_name AS originalName, m.title, m.mime,
           u.login AS uploaderLogin, m.post_id AS postId, m.created_at AS createdAt,
           (SELECT o.guid FROM wp_origins o WHERE o.kind = 'attachment' AND o.local_id = m.id AND o.guid IS NOT NULL LIMIT 1) AS guid
    FROM media m JOIN users u ON u.id = m.uploaded_by
    WHERE m.id > ? ORDER BY m.id LIMIT ?`);
  const highestPostId = db.prepare('SELECT coalesce(max(id), 0) FROM posts').pluck();
  const counts = db.prepare('SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM media) AS media');
  return {
    users: () => users.all() as ExportUser[],
    terms: () => terms.all() as ExportTerm[],
    postsAfter: (afterId, limit) => postsAfter.all(afterId, limit) as ExportPost[],
    termsOfPosts: (first, last) => termsOfPosts.all(first, last) as ExportPostTerm[],
    commentsOfPosts: (first, last) => commentsOfPosts.all(first, last) as ExportComment[],
    mediaAfter: (afterId, limit) => mediaAfter.all(afterId, limit) as ExportMedia[],
    highestPostId: () => highestPostId.get() as number,
    counts: () => counts.get() as { posts: number; media: number },
  };
}
