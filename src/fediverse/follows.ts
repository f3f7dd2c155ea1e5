import { Accept, Follow, Reject, isActor } from './fedify.js';
import { plainText } from '../text.js';
import { activityId, deliverableInbox, handleOf } from './recipients.js';
import type { InboxRegistry } from './inbox.js';

/** As long as a commenter's name may be (commenters service). */
const NAME_MAX = 245;

/**
 * Follow of the blog actor: stored and accepted, or rejected when the account or its instance is blocked. Undo of a
 * Follow removes the follower. The Accept and Reject go through Fedify's queue. A Follow whose inbox or shared inbox
 * the blog may not POST to (see deliverableInbox) is dropped: not even a Reject could reach it.
 */
export function registerFollows(inbox: InboxRegistry) {
  inbox.on(Follow, async (ctx, follow, { followers, blocks, settings, allowPrivateAddress, logger, now }) => {
    const { user } = settings.fediverseAccount();
    const target = follow.objectId ? ctx.parseUri(follow.objectId) : null;
    if (!follow.id || !follow.actorId || target?.type !== 'actor' || target.identifier !== user) return;
    const actor = await follow.getActor(ctx);
    if (!isActor(actor) || !actor.id || actor.id.href !== follow.actorId.href || !actor.inboxId) return;
    const inboxes = [actor.inboxId.href, actor.endpoints?.sharedInbox?.href ?? null];
    for (const url of inboxes) {
      if (url !== null && !(await deliverableInbox(url, allowPrivateAddress))) {
        logger.warn({ actor: actor.id.href, inbox: url }, 'Fediverse: a Follow was dropped, its inbox is not https on a public address');
        return;
      }
    }
    const me = ctx.getActorUri(user);
    const handle = handleOf(actor.id, actor.preferredUsername?.toString());
    if (blocks.isBlocked(actor.id.href, handle)) {
      await ctx.sendActivity({ identifier: user }, actor, new Reject({ id: activityId(me, 'reject'), actor: me, object: follow }));
      return;
    }
    followers.add({
      actorUri: actor.id.href,
      handle,
      name: plainText(actor.name?.toString(), NAME_MAX),
      inbox: inboxes[0]!,
      sharedInbox: inboxes[1],
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
