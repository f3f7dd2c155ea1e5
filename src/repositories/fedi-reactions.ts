import type { Db } from '../db/open.js';

export type ReactionKind = 'like' | 'announce';

export interface NewReaction {
  activityId: string;
  postId: number;
  kind: ReactionKind;
  actorUri: string;
}

/** Likes and Announces of posts; the posts' fedi_likes / fedi_boosts follow by trigger (migration 0022). */
export function createFediReactionsRepository(db: Db) {
  // One reaction of a kind per account and post: a second Like from the same account changes nothing.
  const insert = db.prepare(`INSERT INTO fedi_reactions (activity_id, post_id, kind, actor_uri, created_at)
    VALUES (@activityId, @postId, @kind, @actorUri, @createdAt) ON CONFLICT DO NOTHING`);
  const remove = db.prepare<{ activityId: string | null; postId: number | null; kind: ReactionKind; actorUri: string }, { postId: number }>(`
    DELETE FROM fedi_reactions WHERE kind = @kind AND actor_uri = @actorUri
      AND (activity_id = @activityId OR post_id = @postId) RETURNING post_id AS postId`);
  return {
    /** Whether it was stored (false: the account had already reacted so). */
    add: (reaction: NewReaction, createdAt: number) => insert.run({ ...reaction, createdAt }).changes > 0,
    /**
     * Removes an account's reaction, named by the activity's id or by the post it reacted to; the post it was on, or
     * null when there was none.
     */
    remove: (undo: { activityId: string | null; postId: number | null; kind: ReactionKind; actorUri: string }) =>
      remove.get(undo)?.postId ?? null,
  };
}

export type FediReactionsRepository = ReturnType<typeof createFediReactionsRepository>;
