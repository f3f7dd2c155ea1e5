import type { Database } from 'better-sqlite3';
import type { Revision } from '../models.js';

export type RevisionText = Pick<Revision, 'title' | 'bodyMarkdown' | 'excerpt'>;

export interface RevisionsRepository {
  addRevision(postId: number, userId: number, text: RevisionText, at: string): number;
  /** Newest first. */
  list(postId: number): Revision[];
  count(postId: number): number;
  latest(postId: number): Revision | undefined;
  /** A revision of that post (never an autosave). */
  find(postId: number, id: number): Revision | undefined;
  /** Drops the oldest revisions beyond `keep`. */
  prune(postId: number, keep: number): void;
  /** Writes the user's autosave of the post, replacing the one before. */
  putAutosave(postId: number, userId: number, text: RevisionText, at: string): void;
  findAutosave(postId: number, userId: number): Revision | undefined;
  deleteAutosave(postId: number, userId: number): void;
}

const columns = `r.id, r.post_id AS postId, r.kind, r.title, r.body_markdown AS bodyMarkdown, r.excerpt, r.user_id AS userId,
  coalesce(u.display_name, '') AS authorName, r.created_at AS createdAt`;
const from = 'FROM post_revisions r LEFT JOIN users u ON u.id = r.user_id';

export function createRevisionsRepository(db: Database): RevisionsRepository {
  const insert = db.prepare(`INSERT INTO post_revisions (post_id, user_id, kind, title, body_markdown, excerpt, created_at)
    VALUES (@postId, @userId, 'revision', @title, @bodyMarkdown, @excerpt, @at)`);
  const list = db.prepare(`SELECT ${columns} ${from} WHERE r.post_id = ? AND r.kind = 'revision' ORDER BY r.id DESC`);
  const count = db.prepare("SELECT count(*) FROM post_revisions WHERE post_id = ? AND kind = 'revision'").pluck();
  const latest = db.prepare(`SELECT ${columns} ${from} WHERE r.post_id = ? AND r.kind = 'revision' ORDER BY r.id DESC LIMIT 1`);
  const find = db.prepare(`SELECT ${columns} ${from} WHERE r.post_id = ? AND r.id = ? AND r.kind = 'revision'`);
  const prune = db.prepare(`DELETE FROM post_revisions WHERE post_id = @postId AND kind = 'revision' AND id NOT IN
    (SELECT id FROM post_revisions WHERE post_id = @postId AND kind = 'revision' ORDER BY id DESC LIMIT @keep)`);
  const putAutosave = db.prepare(`INSERT INTO post_revisions (post_id, user_id, kind, title, body_markdown, excerpt, created_at)
    VALUES (@postId, @userId, 'autosave', @title, @bodyMarkdown, @excerpt, @at)
    ON CONFLICT (post_id, user_id) WHERE kind = 'autosave'
    DO UPDATE SET title = excluded.title, body_markdown = excluded.body_markdown, excerpt = excluded.excerpt, created_at = excluded.created_at`);
  const findAutosave = db.prepare(`SELECT ${columns} ${from} WHERE r.post_id = ? AND r.user_id = ? AND r.kind = 'autosave'`);
  const deleteAutosave = db.prepare("DELETE FROM post_revisions WHERE post_id = ? AND user_id = ? AND kind = 'autosave'");
  const text = ({ title, bodyMarkdown, excerpt }: RevisionText) => ({ title, bodyMarkdown, excerpt });
  return {
    addRevision: (postId, userId, revision, at) => Number(insert.run({ postId, userId, at, ...text(revision) }).lastInsertRowid),
    list: (postId) => list.all(postId) as Revision[],
    count: (postId) => count.get(postId) as number,
    latest: (postId) => latest.get(postId) as Revision | undefined,
    find: (postId, id) => find.get(postId, id) as Revision | undefined,
    prune: (postId, keep) => void prune.run({ postId, keep }),
    putAutosave: (postId, userId, revision, at) => void putAutosave.run({ postId, userId, at, ...text(revision) }),
    findAutosave: (postId, userId) => findAutosave.get(postId, userId) as Revision | undefined,
    deleteAutosave: (postId, userId) => void deleteAutosave.run(postId, userId),
  };
}
