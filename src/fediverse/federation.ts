import { Endpoints, Image, Service, createFederation } from './fedify.js';
import type { Federation } from './fedify.js';
import { ACTOR_PATH, FOLLOWERS_PATH, INBOX_PATH, OUTBOX_PATH, SHARED_INBOX_PATH } from './paths.js';
import { createKeyPairs } from './keys.js';
import { createInboxRegistry } from './inbox.js';
import { registerFollows } from './follows.js';
import { recipientOf } from './recipients.js';
import type { FediverseDeps } from './deps.js';

/** The blog's avatar on the Fediverse, until the site has an icon of its own. */
const ICON_PATH = '/images/avatar.svg';
/** Inbox work is idempotent per inbox: a second delivery of an activity to the same inbox is ignored. */
const IDEMPOTENCY = 'per-inbox';

/**
 * The blog's Fedify federation at the site's origin: one actor (a Service named after the blog), its keys, its
 * followers, and the inbox listeners of every area. Loaded lazily (see ./index.ts); this is the only place
 * createFederation is called.
 */
export function buildFederation(deps: FediverseDeps, origin: string): Federation<void> {
  const { settings, followers } = deps;
  const federation = createFederation<void>({
    kv: deps.kv,
    queue: deps.queue,
    origin,
    manuallyStartQueue: true,
    allowPrivateAddress: deps.allowPrivateAddress,
    // Mastodon and most of the Fediverse speak draft-cavage; RFC 9421 first would cost a failed request per new instance.
    firstKnock: 'draft-cavage-http-signatures-12',
  });
  const keyPairs = createKeyPairs(deps.keys, deps.now);
  const isBlog = (identifier: string) => identifier === settings.fediverseAccount().user;

  federation
    .setActorDispatcher(ACTOR_PATH, async (ctx, identifier) => {
      if (!isBlog(identifier)) return null;
      const { title, tagline } = settings.get();
      const siteUrl = settings.siteUrl();
      const keys = await ctx.getActorKeyPairs(identifier);
      return new Service({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: title,
        summary: tagline || null,
        url: new URL(`${siteUrl}/`),
        icon: new Image({ url: new URL(`${siteUrl}${ICON_PATH}`), mediaType: 'image/svg+xml' }),
        inbox: ctx.getInboxUri(identifier),
        outbox: ctx.getOutboxUri(identifier),
        followers: ctx.getFollowersUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: keys[0]?.cryptographicKey,
        assertionMethods: keys.map((key) => key.multikey),
        manuallyApprovesFollowers: false,
        discoverable: true,
      });
    })
    .mapHandle((_ctx, username) => (isBlog(username) ? username : null))
    .setKeyPairsDispatcher(async (_ctx, identifier) => (isBlog(identifier) ? keyPairs() : []));

  // All followers at once: sendActivity(…, 'followers', …) reads this, and a blog's followers fit in one page.
  federation
    .setFollowersDispatcher(FOLLOWERS_PATH, async (_ctx, identifier) => (isBlog(identifier) ? { items: followers.all().map(recipientOf) } : null))
    .setCounter((_ctx, identifier) => (isBlog(identifier) ? followers.count() : null));

  federation.setOutboxDispatcher(OUTBOX_PATH, async (_ctx, identifier) => (isBlog(identifier) ? { items: [] } : null)).setCounter(() => 0);

  const inbox = createInboxRegistry();
  registerFollows(inbox);
  const setters = federation
    .setInboxListeners(INBOX_PATH, SHARED_INBOX_PATH)
    .withIdempotency(IDEMPOTENCY)
    .onError((_ctx, err) => deps.logger.warn({ err }, 'Fediverse inbox: an activity could not be handled'));
  inbox.attach(setters, deps);
  return federation;
}
