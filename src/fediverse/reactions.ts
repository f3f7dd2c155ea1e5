import { Announce, Like } from './fedify.js';
import type { InboxContext } from './fedify.js';
import type { ReactionKind } from '../repositories/fedi-reactions.js';
import { isProtected } from '../services/post-passwords.js';
import { postAt, unblockedActor } from './replies.js';
import type { FediverseDeps } from './deps.js';
import type { InboxRegistry } from './inbox.js';

/**
 * Like and Announce of a public post are counted on it (fedi_reactions; the post's counts follow by trigger), Undo
 * takes them back; a count that changes drops the post's kept page. Blocked accounts and instances are not counted.
 */
export function registerReactions(inbox: InboxRegistry) {
  const react = (kind: ReactionKind) => async (ctx: InboxContext<void>, activity: Like | Announce, deps: FediverseDeps) => {
    const { id, actorId, objectId } = activity;
    if (!id || !actorId || !objectId) return;
    const post = postAt(objectId, deps);
    if (!post || isProtected(post) || !(await unblockedActor(ctx, activity, deps))) return;
    if (deps.reactions.add({ activityId: id.href, postId: post.id, kind, actorUri: actorId.href }, deps.now())) deps.changes.comments(post.id);
  };
  inbox.on(Like, react('like'));
  inbox.on(Announce, react('announce'));

  const undo = (kind: ReactionKind) => async (_ctx: InboxContext<void>, activity: { actorId: URL | null; objectId: URL | null }, reaction: Like | Announce | null, deps: FediverseDeps) => {
    const actorId = activity.actorId;
    // Only the account that reacted takes its reaction back.
    if (!actorId || (reaction && reaction.actorId?.href !== actorId.href)) return;
    const activityId = reaction?.id ?? activity.objectId;
    const post = reaction?.objectId ? postAt(reaction.objectId, deps) : null;
    const postId = deps.reactions.remove({ activityId: activityId?.href ?? null, postId: post?.id ?? null, kind, actorUri: actorId.href });
    if (postId !== null) deps.changes.comments(postId);
  };
  inbox.onUndo(Like, undo('like'));
  inbox.onUndo(Announce, undo('announce'));
}
