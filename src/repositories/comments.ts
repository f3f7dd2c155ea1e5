import type { Database } from 'better-sqlite3';
import type { Comment, CommentStatus } from '../models.js';

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
}

export interface CommentsRepository {
  insert(comment: NewComment): number;
  findById(id: number): Comment | undefined;
  /** A post's approved comments plus the listed ones still pending (the visitor's own), oldest first. */
  visibleForPost(postId: number, ownPendingIds: number[]): Comment[];
  /** Whether the IP or email posted anything since the given instant. */
  postedSince(ip: string, email: string, since: string): boolean;
  isDuplicate(c: Pick<NewComment, 'postId' | 'parentId' | 'authorName' | 'authorEmail' | 'bodyHtml'>): boolean;
  hasApproved(email: string): boolean;
  hasApprovedByCommenter(commenterId: number): boolean;
  setStatus(id: number, status: CommentStatus): boolean;
  delete(id: number): boolean;
  countByStatus(): Record<CommentStatus, number>;
}

const columns = `id, post_id AS postId, parent_id AS parentId, status, author_name AS authorName,
  author_url AS authorUrl, avatar_hash AS avatarHash, body_html AS bodyHtml, created_at AS createdAt,
  commenter_id AS commenterId,
  coalesce((SELECT picture_url FROM commenters WHERE commenters.id = comments.commenter_id), '') AS pictureUrl`;

export function createCommentsRepository(db: Database): CommentsRepository {
  const insert = db.prepare(`
    INSERT INTO comments (post_id, parent_id, status, author_name, author_email, avatar_hash, author_url,
                          author_ip, user_agent, body_html, created_at, user_id, commenter_id)
    VALUES (@postId, @parentId, @status, @authorName, @authorEmail, @avatarHash, @authorUrl,
            @authorIp, @userAgent, @bodyHtml, @createdAt, @userId, @commenterId)`);
  const byId = db.prepare(`SELECT ${columns} FROM comments WHERE id = ?`);
  const visible = db.prepare(`SELECT ${columns} FROM comments
    WHERE post_id = @postId AND (status = 'approved'
      OR (status = 'pending' AND id IN (SELECT value FROM json_each(@own))))
    ORDER BY id`);
  const recent = db.prepare(`SELECT 1 FROM comments
    WHERE created_at >= @since AND (author_ip = @ip OR (@email <> '' AND author_email = @email)) LIMIT 1`);
  const duplicate = db.prepare(`SELECT 1 FROM comments
    WHERE post_id = @postId AND parent_id IS @parentId AND body_html = @bodyHtml
      AND (author_name = @authorName OR (@authorEmail <> '' AND author_email = @authorEmail))
      AND status <> 'trash' LIMIT 1`);
  const approvedBy = db.prepare(`SELECT 1 FROM comments WHERE author_email = ? AND status = 'approved' LIMIT 1`);
  const approvedByCommenter = db.prepare(`SELECT 1 FROM comments WHERE commenter_id = ? AND status = 'approved' LIMIT 1`);
  const setStatus = db.prepare('UPDATE comments SET status = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM comments WHERE id = ?');
  const counts = db.prepare('SELECT status, count(*) AS n FROM comments GROUP BY status');

  return {
    insert: (c) => Number(insert.run(c).lastInsertRowid),
    findById: (id) => byId.get(id) as Comment | undefined,
    visibleForPost: (postId, own) => visible.all({ postId, own: JSON.stringify(own) }) as Comment[],
    postedSince: (ip, email, since) => recent.get({ ip, email, since }) !== undefined,
    isDuplicate: (c) => duplicate.get(c) !== undefined,
    hasApproved: (email) => email !== '' && approvedBy.get(email) !== undefined,
    hasApprovedByCommenter: (id) => approvedByCommenter.get(id) !== undefined,
    setStatus: (id, status) => setStatus.run(status, id).changes > 0,
    delete: (id) => remove.run(id).changes > 0,
    countByStatus() {
      const result: Record<CommentStatus, number> = { approved: 0, pending: 0, spam: 0, trash: 0 };
      for (const row of counts.all() as { status: CommentStatus; n: number }[]) result[row.status] = row.n;
      return result;
    },
  };
}
