import type { Database } from 'better-sqlite3';
import type { Comment, CommentStatus, Post, Provider } from '../models.js';

export interface NewComment {
  postId: number;
  parentId: number | null;
  status: CommentStatus;
  authorName: string;
  authorEmail: string;
  avatarHash: string;
  authorUrl: string;
  authorIp: string;
  userAgent: string;
  bodyHtml: string;
  createdAt: string;
  /** The blog's own author, when logged in. */
  userId: number | null;
  commenterId: number | null;
  /** The id of the Fediverse Note it came as, if it came from the Fediverse. */
  fediObjectId?: string | null;
}

/** A comment as the admin sees it: with the email, IP, login provider and the post it answers. */
export interface AdminComment extends Comment {
  authorEmail: string;
  authorIp: string;
  userId: number | null;
  provider: Provider | null;
  profileUrl: string;
  /** The name on the comment this one answers, if any. */
  parentAuthorName: string | null;
  post: Pick<Post, 'id' | 'type' | 'status' | 'slug' | 'title' | 'publishedAt' | 'authorId'>;
}

/** Narrows the admin's queries to the comments on one author's posts and/or on one post. */
export interface CommentScope {
  postAuthorId?: number;
  postId?: number;
}

export type CommentEdit = Pick<NewComment, 'authorName' | 'authorEmail' | 'avatarHash' | 'authorUrl' | 'bodyHtml'>;

export interface CommentsRepository {
  /** Stores a comment and gives it back as stored (its id, and its commenter's picture). */
  insert(comment: NewComment): Comment;
  findById(id: number): Comment | undefined;
  /** The comment that came as this Fediverse Note. */
  findByFediObject(objectId: string): Comment | undefined;
  /** A post's approved comments plus the listed ones still pending (the visitor's own), oldest first. */
  visibleForPost(postId: number, ownPendingIds: number[]): Comment[];
  /** Whether the IP or email posted anything since the given instant. */
  postedSince(ip: string, email: string, since: string): boolean;
  isDuplicate(c: Pick<NewComment, 'postId' | 'parentId' | 'authorName' | 'authorEmail' | 'bodyHtml'>): boolean;
  /**
   * Whether a guest with this name (exact) and email (stored lowercased, so give it lowercased) has an approved comment,
   * as WordPress's check_comment(). Only guest comments count: a login's approvals do not pass to a typed name.
   */
  hasApprovedGuest(name: string, email: string): boolean;
  hasApprovedByCommenter(commenterId: number): boolean;
  /** Moves a comment; into spam or trash it remembers the status it leaves (approved or pending). */
  setStatus(id: number, status: CommentStatus): boolean;
  /** Back out of spam or trash to the status it had, or pending when none was kept. */
  restoreStatus(id: number): boolean;
  delete(id: number): boolean;
  countByStatus(scope?: CommentScope): Record<CommentStatus, number>;
  findForAdmin(id: number): AdminComment | undefined;
  /** Comments in the given states, newest first. */
  listForAdmin(statuses: CommentStatus[], scope: CommentScope, limit: number, offset: number): AdminComment[];
  updateContent(id: number, edit: CommentEdit): boolean;
  /** Every comment's stored HTML, in any state. */
  allBodies(): Array<Pick<Comment, 'id' | 'bodyHtml'>>;
  /** Replaces a comment's stored HTML only (a new rendering of the same text, not an edit). */
  setBodyHtml(id: number, bodyHtml: string): void;
}

const columns = `id, post_id AS postId, parent_id AS parentId, status, author_name AS authorName,
  author_url AS authorUrl, avatar_hash AS avatarHash, body_html AS bodyHtml, created_at AS createdAt,
  commenter_id AS commenterId, fedi_object_id IS NOT NULL AS fromFediverse,
  coalesce((SELECT picture_url FROM commenters WHERE commenters.id = comments.commenter_id), '') AS pictureUrl`;

const adminSelect = `SELECT c.id, c.post_id AS postId, c.parent_id AS parentId, c.status, c.author_name AS authorName,
    c.author_url AS authorUrl, c.avatar_hash AS avatarHash, c.body_html AS bodyHtml, c.created_at AS createdAt,
    c.commenter_id AS commenterId, coalesce(m.picture_url, '') AS pictureUrl, c.author_email AS authorEmail,
    c.author_ip AS authorIp, c.user_id AS userId, m.provider, coalesce(m.profile_url, '') AS profileUrl,
    (SELECT pc.author_name FROM comments pc WHERE pc.id = c.parent_id) AS parentAuthorName,
    p.type AS postType, p.status AS postStatus, p.slug AS postSlug, p.title AS postTitle,
    p.published_at AS postPublishedAt, p.author_id AS postAuthorId
  FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN commenters m ON m.id = c.commenter_id`;

const inScope = '(@postAuthorId IS NULL OR p.author_id = @postAuthorId) AND (@postId IS NULL OR c.post_id = @postId)';

interface AdminRow extends Omit<AdminComment, 'post'> {
  postType: Post['type'];
  postStatus: Post['status'];
  postSlug: string;
  postTitle: string;
  postPublishedAt: string | null;
  postAuthorId: number;
}

const toAdminComment = (row: unknown): AdminComment => {
  const { postType, postStatus, postSlug, postTitle, postPublishedAt, postAuthorId, ...comment } = row as AdminRow;
  return {
    ...comment,
    post: { id: comment.postId, type: postType, status: postStatus, slug: postSlug, title: postTitle, publishedAt: postPublishedAt, authorId: postAuthorId },
  };
};

const scopeParams = ({ postAuthorId = null, postId = null }: { postAuthorId?: number | null; postId?: number | null }) => ({ postAuthorId, postId });

export function createCommentsRepository(db: Database): CommentsRepository {
  const insert = db.prepare(`
    INSERT INTO comments (post_id, parent_id, status, author_name, author_email, avatar_hash, author_url,
                          author_ip, user_agent, body_html, created_at, user_id, commenter_id, fedi_object_id)
    VALUES (@postId, @parentId, @status, @authorName, @authorEmail, @avatarHash, @authorUrl,
            @authorIp, @userAgent, @bodyHtml, @createdAt, @userId, @commenterId, @fediObjectId)
    RETURNING ${columns}`);
  const byId = db.prepare(`SELECT ${columns} FROM comments WHERE id = ?`);
  const byFediObject = db.prepare(`SELECT ${columns} FROM comments WHERE fedi_object_id = ?`);
  const visible = db.prepare(`SELECT ${columns} FROM comments
    WHERE post_id = @postId AND (status = 'approved'
      OR (status = 'pending' AND id IN (SELECT value FROM json_each(@own))))
    ORDER BY id`);
  const recent = db.prepare(`SELECT 1 FROM comments
    WHERE created_at >= @since AND (author_ip = @ip OR (@email <> '' AND author_email = @email)) LIMIT 1`);
  // Two lookups rather than one with OR, so each reads one author's comments on the post off its own index (0012).
  // Through the index on the text's end (migration 0013): the expression must be written exactly as there.
  const duplicate = db.prepare(`SELECT 1 FROM comments
    WHERE post_id = @postId AND substr(body_html, -32) = substr(@bodyHtml, -32) AND body_html = @bodyHtml
      AND parent_id IS @parentId AND status <> 'trash'
      AND (author_name = @authorName OR (@authorEmail <> '' AND author_email = @authorEmail)) LIMIT 1`);
  const approvedGuest = db.prepare(`SELECT 1 FROM comments WHERE author_email = @email AND author_name = @name
    AND status = 'approved' AND user_id IS NULL AND commenter_id IS NULL LIMIT 1`);
  const approvedByCommenter = db.prepare(`SELECT 1 FROM comments WHERE commenter_id = ? AND status = 'approved' LIMIT 1`);
  const setStatus = db.prepare(`UPDATE comments SET status = @status,
      status_before = CASE WHEN @status IN ('spam', 'trash')
        THEN (CASE WHEN status IN ('approved', 'pending') THEN status ELSE status_before END) END
    WHERE id = @id`);
  const restoreStatus = db.prepare(`UPDATE comments SET status = coalesce(status_before, 'pending'), status_before = NULL
    WHERE id = ? AND status IN ('spam', 'trash')`);
  const remove = db.prepare('DELETE FROM comments WHERE id = ?');
  // As WordPress does, a deleted comment's replies move up to its parent rather than to the top level.
  const reparent = db.prepare('UPDATE comments SET parent_id = (SELECT parent_id FROM comments WHERE id = @id) WHERE parent_id = @id');
  const removeKeepingThread = db.transaction((id: number) => {
    reparent.run({ id });
    return remove.run(id).changes > 0;
  });
  const counts = db.prepare(`SELECT c.status, count(*) AS n FROM comments c JOIN posts p ON p.id = c.post_id
    WHERE ${inScope} GROUP BY c.status`);
  const adminById = db.prepare(`${adminSelect} WHERE c.id = ?`);
  const adminList = db.prepare(`${adminSelect}
    WHERE c.status IN (SELECT value FROM json_each(@statuses)) AND ${inScope}
    ORDER BY c.created_at DESC, c.id DESC LIMIT @limit OFFSET @offset`);
  const update = db.prepare(`UPDATE comments SET author_name = @authorName, author_email = @authorEmail,
    avatar_hash = @avatarHash, author_url = @authorUrl, body_html = @bodyHtml WHERE id = @id`);
  const bodies = db.prepare('SELECT id, body_html AS bodyHtml FROM comments ORDER BY id');
  const setBody = db.prepare('UPDATE comments SET body_html = ? WHERE id = ?');

  return {
    insert: (c) => insert.get({ fediObjectId: null, ...c }) as Comment,
    findById: (id) => byId.get(id) as Comment | undefined,
    findByFediObject: (objectId) => byFediObject.get(objectId) as Comment | undefined,
    visibleForPost: (postId, own) => visible.all({ postId, own: JSON.stringify(own) }) as Comment[],
    postedSince: (ip, email, since) => recent.get({ ip, email, since }) !== undefined,
    isDuplicate: ({ postId, parentId, authorName, authorEmail, bodyHtml }) =>
      duplicate.get({ postId, parentId, authorName, authorEmail, bodyHtml }) !== undefined,
    hasApprovedGuest: (name, email) => email !== '' && approvedGuest.get({ name, email }) !== undefined,
    hasApprovedByCommenter: (id) => approvedByCommenter.get(id) !== undefined,
    setStatus: (id, status) => setStatus.run({ id, status }).changes > 0,
    restoreStatus: (id) => restoreStatus.run(id).changes > 0,
    delete: (id) => removeKeepingThread(id),
    countByStatus(scope = {}) {
      const result: Record<CommentStatus, number> = { approved: 0, pending: 0, spam: 0, trash: 0 };
      for (const row of counts.all(scopeParams(scope)) as { status: CommentStatus; n: number }[]) result[row.status] = row.n;
      return result;
    },
    findForAdmin(id) {
      const row = adminById.get(id);
      return row === undefined ? undefined : toAdminComment(row);
    },
    listForAdmin: (statuses, scope, limit, offset) =>
      adminList.all({ statuses: JSON.stringify(statuses), ...scopeParams(scope), limit, offset }).map(toAdminComment),
    updateContent: (id, edit) => update.run({ ...edit, id }).changes > 0,
    allBodies: () => bodies.all() as Array<Pick<Comment, 'id' | 'bodyHtml'>>,
    setBodyHtml: (id, bodyHtml) => void setBody.run(bodyHtml, id),
  };
}
