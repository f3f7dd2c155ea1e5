import type { Db } from '../db/open.js';

/** A comment that came from the Fediverse: its author's actor URI (when a 'fediverse' commenter wrote it) and the Note's id. */
export interface FediCommentAuthor {
  commentId: number;
  actorUri: string | null;
  objectId: string | null;
}

/** Which of the given comments came from the Fediverse, for the comments screen's marks and block actions. */
export function createFediCommentAuthorsRepository(db: Db) {
  const select = db.prepare<[string], FediCommentAuthor>(`SELECT c.id AS commentId,
      CASE WHEN m.provider = 'fediverse' THEN m.provider_uid END AS actorUri, c.fedi_object_id AS objectId
    FROM comments c LEFT JOIN commenters m ON m.id = c.commenter_id
    WHERE c.id IN (SELECT value FROM json_each(?)) AND (m.provider = 'fediverse' OR c.fedi_object_id IS NOT NULL)`);
  return {
    forComments: (ids: number[]) => (ids.length === 0 ? [] : select.all(JSON.stringify(ids))),
  };
}

export type FediCommentAuthorsRepository = ReturnType<typeof createFediCommentAuthorsRepository>;
