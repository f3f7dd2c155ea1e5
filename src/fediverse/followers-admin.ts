import type { Context } from './fedify.js';
import type { FediverseDeps } from './deps.js';
import { activityId, deliverableFollowers, recipientOf } from './recipients.js';

/**
 * The admin's hand on followers: remove one (the follower's instance is told with a Reject of its Follow, as
 * Mastodon does for "remove follower"), or remove and block the account.
 */
export function followersAdmin(deps: Pick<FediverseDeps, 'followers' | 'blocks' | 'settings' | 'allowPrivateAddress' | 'now'>, context: () => Promise<Context<void>>) {
  const remove = async (id: number) => {
    const row = deps.followers.findById(id);
    if (!row) return null;
    const [ctx, { Follow, Reject }] = await Promise.all([context(), import('./fedify.js')]);
    const { user } = deps.settings.fediverseAccount();
    const me = ctx.getActorUri(user);
    const follow = new Follow({ id: new URL(row.followId), actor: new URL(row.actorUri), object: me });
    deps.followers.remove(row.id);
    // No Reject to an inbox the blog may no longer post to (see deliverableFollowers).
    if ((await deliverableFollowers([row], deps.allowPrivateAddress)).length === 0) return row;
    await ctx.sendActivity({ identifier: user }, recipientOf(row), new Reject({ id: activityId(me, 'reject'), actor: me, object: follow }));
    return row;
  };
  return {
    list: () => deps.followers.all(),
    /** False when there is no such follower. */
    removeFollower: async (id: number) => (await remove(id)) !== null,
    blockFollower: async (id: number) => {
      const row = await remove(id);
      if (row) deps.blocks.blockAccount(row.actorUri, deps.now());
      return row !== null;
    },
  };
}
