import { Accept, Follow, Reject, isActor } from './fedify.js';
import type { Actor } from './fedify.js';
import { activityId } from './recipients.js';
import type { InboxRegistry } from './inbox.js';

/** `@user@host` from the actor's preferred username and its id's host (no WebFinger round trip). */
const handleOf = (actor: Actor) => `@${actor.preferredUsername ?? 'unknown'}@${actor.id!.host}`;

/**
 * Follow of the blog actor: stored and accepted, or rejected when the account or its instance is blocked. Undo of a
 * Follow removes the follower. The Accept and Reject go through Fedify's queue.
 */
export function registerFollows(inbox: InboxRegistry) {
  inbox.on(Follow, async (ctx, follow, { followers, blocks, settings, now }) => {
    const { user } = settings.fediverseAccount();
    const target = follow.objectId ? ctx.parseUri(follow.objectId) : null;
    if (!follow.id || !follow.actorId || target?.type !== 'actor' || target.identifier !== user) return;
    const actor = await follow.getActor(ctx);
    if (!isActor(actor) || !actor.id || actor.id.href !== follow.actorId.href || !actor.inboxId) return;
    const me = ctx.getActorUri(user);
    const handle = handleOf(actor);
    if (blocks.isBlocked(actor.id.href, handle)) {
      await ctx.sendActivity({ identifier: user }, actor, new Reject({ id: activityId(me, 'reject'), actor: me, object: follow }));
      return;
    }
    followers.add({
      actorUri: actor.id.href,
      handle,
      name: actor.name?.toString() ?? '',
      inbox: actor.inboxId.href,
      sharedInbox: actor.endpoints?.sharedInbox?.href ?? null,
      followId: follow.id.href,
    }, now());
    await ctx.sendActivity({ identifier: user }, actor, new Accept({ id: activityId(me, 'accept'), actor: me, object: follow }));
  });

  inbox.onUndo(Follow, async (_ctx, undo, follow, { followers }) => {
    if (!undo.actorId) return;
    const row = followers.findByActor(undo.actorId.href);
    // Only the follower's own Undo counts: the object is its Follow, by id or embedded with this actor.
    const undone = follow ? follow.id?.href === row?.followId || follow.actorId?.href === undo.actorId.href : undo.objectId?.href === row?.followId;
    if (row && undone) followers.remove(row.id);
  });
}
