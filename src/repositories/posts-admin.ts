import type { Database } from 'better-sqlite3';
import type { Post, PostStatus, PostType } from '../models.js';
import { MAX_PAGE_DEPTH, SELECT, toPost } from './post-columns.js';
import type { NewPost } from './posts.js';

/** What the admin's post lists filter on; `all` is everything but the trash, as in WordPress. */
export interface AdminFilter {
  type: PostType;
  status: PostStatus | 'all';
  /** Only this author's posts (an author sees their own). */
  authorId?: number;
  /** Words in the title or body. */
  search?: string;
}

export interface AdminPost extends Post {
  pendingCount: number;
}

/** A post's format stays what it was created with: an edit never changes it. */
export type PostChanges = Omit<NewPost, 'type' | 'authorId' | 'lang' | 'previewKey' | 'sourceFormat'>;

/** The columns made from a post's Markdown and excerpt when it is saved. */
export type RenderedColumns = Pick<NewPost, 'bodyHtml' | 'bodyText' | 'excerptHtml' | 'saysMore'>;

/** What a post's rendered columns are made from, and what they hold now. */
export interface RenderSource extends RenderedColumns {
  id: number;
  bodyMarkdown: string;
  sourceFormat: Post['sourceFormat'];
  excerpt: string;
}

/** A media library entry as the editor's Featured image list shows it. */
export interface ImageChoice {
  id: number;
  name: string;
}

/** A page as the editor's Parent list shows it. */
export interface PageNode {
  id: number;
  title: string;
  parentId: number | null;
}

export interface PostsAdminRepository {
  list(filter: AdminFilter, limit: number, offset: number): AdminPost[];
  count(filter: AdminFilter): number;
  countByStatus(type: PostType, authorId?: number): Record<PostStatus, number>;
  /** `at` is the modification time (the services' clock). */
  update(id: number, changes: PostChanges, at: string): void;
  /** Protects a post's body with a password, or (null) makes it public. */
  setPassword(id: number, password: string | null): void;
  /** A post's featured image: a media entry's id, or null for none. */
  setFeaturedImage(id: number, mediaId: number | null): void;
  /** The media library's newest images, for the editor's Featured image list. */
  imageChoices(limit: number): ImageChoice[];
  /** A media entry by id, if the library holds it and it is an image. */
  imageChoice(mediaId: number): ImageChoice | undefined;
  /** The posts and pages that feature a media entry. */
  featuring(mediaId: number): number[];
  /** Whether a post stays first on the home page, and a page's parent page (null: the top level). */
  setPlacement(id: number, sticky: boolean, parentId: number | null): void;
  /** Moves a post in or out of the trash, with the slug it keeps there. */
  setStatus(id: number, status: PostStatus, slug: string, at: string): void;
  /** Out of the trash: the status it had before when one was kept (an imported item), else a draft. */
  restore(id: number, slug: string, at: string): void;
  delete(id: number): boolean;
  /** The id of the post that holds a slug, if any. */
  slugOwner(slug: string): number | undefined;
  findByPreviewKey(key: string): Post | undefined;
  addRedirect(path: string, postId: number): void;
  /** The ids of the pages under a page, however deep (10 levels at most, as paths go). */
  descendants(id: number): number[];
  /** How many levels of pages lie under a page (0: none). */
  subtreeHeight(id: number): number;
  /** A page and its ancestors, nearest first (as many as MAX_PAGE_DEPTH + 1 at most, so a loop in old data ends). */
  lineage(id: number): number[];
  /** Every page outside the trash, by title. */
  pages(): PageNode[];
  /** A page's children move to another parent (null: the top level). */
  moveChildren(fromId: number, toId: number | null): void;
  redirectFor(path: string): number | undefined;
  /** Publishes every scheduled post whose time has come; returns their ids. */
  publishScheduled(nowIso: string): number[];
  /** The time of the next scheduled post, if any. */
  nextScheduled(): string | undefined;
  /** Every post and page, in any state, with what its rendered columns are made from. */
  renderSources(): RenderSource[];
  /** Stores a post's columns rendered again; not an edit, so its modification time stays. */
  setRendered(id: number, columns: RenderedColumns): void;
}

/** LIKE pattern for words typed into the admin search, with LIKE's wildcards taken literally. */
const likePattern = (search?: string) => (search?.trim() ? `%${search.trim().replace(/[\\%_]/g, '\\$&')}%` : null);

export function createPostsAdminRepository(db: Database): PostsAdminRepository {
  const WHERE = `WHERE p.type = @type
    AND ((@status = 'all' AND p.status <> 'trash') OR p.status = @status)
    AND (@authorId IS NULL OR p.author_id = @authorId)
    AND (@like IS NULL OR p.title LIKE @like ESCAPE '\\' OR p.body_markdown LIKE @like ESCAPE '\\')`;
  const list = db.prepare(`
    SELECT * FROM (${SELECT}) p0 JOIN (
      SELECT p.id AS pid, (SELECT count(*) FROM comments c WHERE c.post_id = p.id AND c.status = 'pending') AS pendingCount
      FROM posts p ${WHERE}
      ORDER BY (p.status = 'scheduled') DESC, coalesce(p.published_at, p.updated_at) DESC, p.id DESC
      LIMIT @limit OFFSET @offset
    ) page ON page.pid = p0.id
    ORDER BY (p0.status = 'scheduled') DESC, coalesce(p0.publishedAt, p0.updatedAt) DESC, p0.id DESC`);
  const count = db.prepare(`SELECT count(*) FROM posts p ${WHERE}`).pluck();
  const byStatus = db.prepare(`SELECT status, count(*) AS n FROM posts
    WHERE type = @type AND (@authorId IS NULL OR author_id = @authorId) GROUP BY status`);
  const update = db.prepare(`UPDATE posts SET status = @status, slug = @slug, title = @title,
      body_markdown = @bodyMarkdown, body_html = @bodyHtml, body_text = @bodyText, excerpt = @excerpt,
      excerpt_html = @excerptHtml, says_more = @saysMore, comments_open = @commentsOpen, published_at = @publishedAt,
      updated_at = @at
    WHERE id = @id`);
  const setStatus = db.prepare('UPDATE posts SET status = ?, slug = ?, updated_at = ? WHERE id = ?');
  const restore = db.prepare("UPDATE posts SET status = coalesce(status_before_trash, 'draft'), status_before_trash = NULL, slug = ?, updated_at = ? WHERE id = ?");
  const setPassword = db.prepare('UPDATE posts SET password = ? WHERE id = ?');
  const setPlacement = db.prepare('UPDATE posts SET sticky = ?, parent_id = ? WHERE id = ?');
  const setFeatured = db.prepare('UPDATE posts SET featured_media_id = ? WHERE id = ?');
  // An imported attachment may be a document: only images are offered.
  const IMAGE_CHOICE = "SELECT id, coalesce(nullif(title, ''), original_name) AS name FROM media WHERE mime LIKE 'image/%'";
  const imageChoices = db.prepare(`${IMAGE_CHOICE} ORDER BY id DESC LIMIT ?`);
  const imageChoice = db.prepare(`${IMAGE_CHOICE} AND id = ?`);
  const featuring = db.prepare('SELECT id FROM posts WHERE featured_media_id = ?').pluck();
  const remove = db.prepare('DELETE FROM posts WHERE id = ?');
  const slugOwner = db.prepare('SELECT id FROM posts WHERE slug = ?').pluck();
  const byPreviewKey = db.prepare(`${SELECT} WHERE p.preview_key = ?`);
  const addRedirect = db.prepare('INSERT INTO post_redirects (path, post_id) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET post_id = excluded.post_id');
  const DOWN = `WITH RECURSIVE down(id, depth) AS (
      SELECT id, 1 FROM posts WHERE parent_id = ?
      UNION ALL SELECT p.id, down.depth + 1 FROM posts p JOIN down ON p.parent_id = down.id WHERE down.depth < 10)`;
  const descendants = db.prepare(`${DOWN} SELECT id FROM down`).pluck();
  const subtreeHeight = db.prepare(`${DOWN} SELECT coalesce(max(depth), 0) FROM down`).pluck();
  const lineage = db.prepare(`WITH RECURSIVE up(id, parent, n) AS (
      SELECT id, parent_id, 1 FROM posts WHERE id = ?
      UNION ALL SELECT p.id, p.parent_id, up.n + 1 FROM posts p JOIN up ON p.id = up.parent WHERE up.n <= ${MAX_PAGE_DEPTH})
    SELECT id FROM up ORDER BY n`).pluck();
  const pages = db.prepare(`SELECT id, title, parent_id AS parentId FROM posts WHERE type = 'page' AND status <> 'trash'
    ORDER BY title COLLATE NOCASE, id`);
  const moveChildren = db.prepare('UPDATE posts SET parent_id = ? WHERE parent_id = ?');
  const redirect = db.prepare('SELECT post_id FROM post_redirects WHERE path = ?').pluck();
  // Published now, so feeds and the sitemap see it as new; its modification time is its publication time.
  const publish = db.prepare(`UPDATE posts SET status = 'published', updated_at = published_at
    WHERE status = 'scheduled' AND published_at <= ? RETURNING id`).pluck();
  const next = db.prepare(`SELECT min(published_at) FROM posts WHERE status = 'scheduled'`).pluck();
  const sources = db.prepare(`SELECT id, body_markdown AS bodyMarkdown, source_format AS sourceFormat, excerpt, body_html AS bodyHtml,
    body_text AS bodyText, excerpt_html AS excerptHtml, says_more AS saysMore FROM posts ORDER BY id`);
  const setRendered = db.prepare(`UPDATE posts SET body_html = @bodyHtml, body_text = @bodyText, excerpt_html = @excerptHtml, says_more = @saysMore
    WHERE id = @id`);

  const params = (f: AdminFilter) => ({ type: f.type, status: f.status, authorId: f.authorId ?? null, like: likePattern(f.search) });

  return {
    list: (filter, limit, offset) =>
      list.all({ ...params(filter), limit, offset }).map((row) => {
        const { pid: _pid, pendingCount, ...post } = row as { pid: number; pendingCount: number };
        return { ...toPost(post), pendingCount };
      }),
    count: (filter) => count.get(params(filter)) as number,
    countByStatus(type, authorId) {
      const result: Record<PostStatus, number> = { published: 0, draft: 0, scheduled: 0, trash: 0 };
      for (const row of byStatus.all({ type, authorId: authorId ?? null }) as { status: PostStatus; n: number }[]) result[row.status] = row.n;
      return result;
    },
    update: (id, changes, at) => void update.run({ ...changes, id, at, commentsOpen: changes.commentsOpen ? 1 : 0, saysMore: changes.saysMore ? 1 : 0 }),
    setStatus: (id, status, slug, at) => void setStatus.run(status, slug, at, id),
    restore: (id, slug, at) => void restore.run(slug, at, id),
    setPassword: (id, password) => void setPassword.run(password, id),
    setPlacement: (id, sticky, parentId) => void setPlacement.run(sticky ? 1 : 0, parentId, id),
    setFeaturedImage: (id, mediaId) => void setFeatured.run(mediaId, id),
    imageChoices: (limit) => imageChoices.all(limit) as ImageChoice[],
    imageChoice: (mediaId) => imageChoice.get(mediaId) as ImageChoice | undefined,
    featuring: (mediaId) => featuring.all(mediaId) as number[],
    delete: (id) => remove.run(id).changes > 0,
    slugOwner: (slug) => slugOwner.get(slug) as number | undefined,
    findByPreviewKey(key) {
      const row = byPreviewKey.get(key);
      return row ? toPost(row) : undefined;
    },
    addRedirect: (path, postId) => void addRedirect.run(path, postId),
    descendants: (id) => descendants.all(id) as number[],
    subtreeHeight: (id) => subtreeHeight.get(id) as number,
    lineage: (id) => lineage.all(id) as number[],
    pages: () => pages.all() as PageNode[],
    moveChildren: (fromId, toId) => void moveChildren.run(toId, fromId),
    redirectFor: (path) => redirect.get(path) as number | undefined,
    publishScheduled: (nowIso) => publish.all(nowIso) as number[],
    nextScheduled: () => (next.get() as string | null) ?? undefined,
    renderSources: () => (sources.all() as (Omit<RenderSource, 'saysMore'> & { saysMore: number })[]).map((r) => ({ ...r, saysMore: r.saysMore === 1 })),
    setRendered: (id, { bodyHtml, bodyText, excerptHtml, saysMore }) => void setRendered.run({ id, bodyHtml, bodyText, excerptHtml, saysMore: saysMore ? 1 : 0 }),
  };
}
