import type { Database } from 'better-sqlite3';
import type { PostStatus } from '../models.js';
import type { NewPost } from './posts.js';

export type OriginKind = 'post' | 'comment' | 'term' | 'user' | 'attachment';

/** A post as the importer writes it: what any new post has, plus what only WordPress brings. */
export interface ImportedPost extends NewPost {
  sourceFormat: 'markdown' | 'html';
  statusBeforeTrash: PostStatus | null;
  password: string | null;
  sticky: boolean;
  createdAt: string;
}

export interface ImportedComment {
  postId: number;
  parentId: number | null;
  status: 'approved' | 'pending' | 'spam' | 'trash';
  authorName: string;
  authorEmail: string;
  avatarHash: string;
  authorUrl: string;
  authorIp: string;
  userId: number | null;
  bodyHtml: string;
  createdAt: string;
}

export interface ImportedMedia {
  sourceUrl: string;
  originalName: string;
  title: string;
  mime: string;
  uploadedBy: number;
  createdAt: string;
}

/** The statements an import runs: lookups that make it idempotent, and plain inserts (triggers keep the listings). */
export function createWxrImportRepository(db: Database) {
  const origin = db.prepare('SELECT local_id FROM wp_origins WHERE site = ? AND kind = ? AND wp_id = ?').pluck();
  const originByGuid = db.prepare("SELECT local_id FROM wp_origins WHERE guid = ? AND kind IN ('post', 'attachment')").pluck();
  const addOrigin = db.prepare('INSERT OR IGNORE INTO wp_origins (site, kind, wp_id, guid, local_id) VALUES (?, ?, ?, ?, ?)');
  const userByEmail = db.prepare('SELECT id FROM users WHERE email = ?').pluck();
  const userByLogin = db.prepare('SELECT id FROM users WHERE login = ?').pluck();
  const addUser = db.prepare("INSERT INTO users (login, display_name, email, role) VALUES (?, ?, ?, 'author')");
  const firstAdmin = db.prepare("SELECT id FROM users WHERE role = 'administrator' ORDER BY id LIMIT 1").pluck();
  const termBySlug = db.prepare('SELECT id FROM terms WHERE taxonomy = ? AND slug = ?').pluck();
  const addTerm = db.prepare('INSERT INTO terms (taxonomy, slug, name, description) VALUES (?, ?, ?, ?)');
  const setTermParent = db.prepare('UPDATE terms SET parent_id = ? WHERE id = ? AND id <> ?');
  const postBySlug = db.prepare(`SELECT p.id, p.title, p.created_at = p.updated_at AS untouched,
      (SELECT count(*) FROM comments c WHERE c.post_id = p.id) AS comments FROM posts p WHERE p.slug = ?`);
  const slugTaken = db.prepare('SELECT 1 FROM posts WHERE slug = ?').pluck();
  const addPost = db.prepare(`
    INSERT INTO posts (type, status, status_before_trash, slug, title, lang, body_markdown, source_format, body_html,
                       body_text, excerpt, excerpt_html, says_more, author_id, comments_open, password, sticky, published_at,
                       created_at, updated_at, preview_key)
    VALUES (@type, @status, @statusBeforeTrash, @slug, @title, @lang, @bodyMarkdown, @sourceFormat, @bodyHtml,
            @bodyText, @excerpt, @excerptHtml, @saysMore, @authorId, @commentsOpen, @password, @sticky, @publishedAt,
            @createdAt, @createdAt, @previewKey)`);
  const deletePost = db.prepare('DELETE FROM posts WHERE id = ?');
  const setPostParent = db.prepare('UPDATE posts SET parent_id = ? WHERE id = ? AND id <> ?');
  const linkTerm = db.prepare('INSERT OR IGNORE INTO post_terms (post_id, term_id) VALUES (?, ?)');
  const addComment = db.prepare(`
    INSERT INTO comments (post_id, parent_id, status, author_name, author_email, avatar_hash, author_url, author_ip,
                          user_id, body_html, created_at)
    VALUES (@postId, @parentId, @status, @authorName, @authorEmail, @avatarHash, @authorUrl, @authorIp,
            @userId, @bodyHtml, @createdAt)`);
  const addMedia = db.prepare(`INSERT INTO media (source_url, original_name, title, mime, size, uploaded_by, created_at)
    VALUES (@sourceUrl, @originalName, @title, @mime, 0, @uploadedBy, @createdAt)`);
  const setMediaPost = db.prepare('UPDATE media SET post_id = ? WHERE id = ?');
  // As in the editor, only an image may be featured (WordPress's _thumbnail_id could name any attachment).
  const setFeaturedImage = db.prepare("UPDATE posts SET featured_media_id = (SELECT id FROM media WHERE id = ? AND mime LIKE 'image/%') WHERE id = ?");
  // An address already answering for another post keeps doing so.
  const addRedirect = db.prepare('INSERT INTO post_redirects (path, post_id) VALUES (?, ?) ON CONFLICT (path) DO NOTHING');

  const id = (result: { lastInsertRowid: number | bigint }) => Number(result.lastInsertRowid);

  return {
    transaction: <T>(work: () => T): T => db.transaction(work)(),
    origin: (site: string, kind: OriginKind, wpId: number) => origin.get(site, kind, wpId) as number | undefined,
    originByGuid: (guid: string) => (guid ? (originByGuid.get(guid) as number | undefined) : undefined),
    addOrigin: (site: string, kind: OriginKind, wpId: number, guid: string | null, localId: number) => {
      if (wpId > 0) addOrigin.run(site, kind, wpId, guid, localId);
    },
    userByEmail: (email: string) => (email ? (userByEmail.get(email) as number | undefined) : undefined),
    userByLogin: (login: string) => userByLogin.get(login) as number | undefined,
    addUser: (login: string, displayName: string, email: string | null) => id(addUser.run(login, displayName, email)),
    firstAdministrator: () => firstAdmin.get() as number | undefined,
    termBySlug: (taxonomy: 'category' | 'tag', slug: string) => termBySlug.get(taxonomy, slug) as number | undefined,
    addTerm: (taxonomy: 'category' | 'tag', slug: string, name: string, description: string) => id(addTerm.run(taxonomy, slug, name, description)),
    setTermParent: (termId: number, parentId: number) => void setTermParent.run(parentId, termId, parentId),
    postBySlug: (slug: string) => postBySlug.get(slug) as { id: number; title: string; untouched: number; comments: number } | undefined,
    slugTaken: (slug: string) => slugTaken.get(slug) !== undefined,
    addPost: (post: ImportedPost) => id(addPost.run({ ...post, commentsOpen: post.commentsOpen ? 1 : 0, sticky: post.sticky ? 1 : 0, saysMore: post.saysMore ? 1 : 0 })),
    deletePost: (postId: number) => void deletePost.run(postId),
    setPostParent: (postId: number, parentId: number) => void setPostParent.run(parentId, postId, parentId),
    linkTerm: (postId: number, termId: number) => void linkTerm.run(postId, termId),
    addComment: (comment: ImportedComment) => id(addComment.run(comment)),
    addMedia: (media: ImportedMedia) => id(addMedia.run(media)),
    setMediaPost: (mediaId: number, postId: number) => void setMediaPost.run(postId, mediaId),
    setFeaturedImage: (postId: number, mediaId: number) => void setFeaturedImage.run(mediaId, postId),
    addRedirect: (path: string, postId: number) => void addRedirect.run(path, postId),
  };
}

export type WxrImportRepository = ReturnType<typeof createWxrImportRepository>;
