import { Endpoints, Image, Service, createFederation, getDocumentLoader } from './fedify.js';
import type { Federation } from './fedify.js';
import { ACTOR_PATH, FOLLOWERS_PATH, INBOX_PATH, OUTBOX_PATH, SHARED_INBOX_PATH } from './paths.js';
import { createKeyPairs } from './keys.js';
import { createInboxRegistry } from './inbox.js';
import { registerFollows } from './follows.js';
import { registerReplies } from './replies.js';
import { registerReactions } from './reactions.js';
import { recipientOf } from './recipients.js';
import type { FediverseDeps } from './deps.js';
import { DELIVERY_RETRY, deliveryRetry } from './delivery-retry.js';

/**
 * The blog's avatar on the Fediverse, until the site has an icon of its own: public/images/avatar.svg drawn at the
 * 400×400 Mastodon keeps, as Mastodon takes raster avatars only (an SVG icon leaves the blog with the default one).
 */
const ICON_PATH = '/images/avatar.png';
/** Inbox work is idempotent per inbox: a second delivery of an activity to the same inbox is ignored. */
const IDEMPOTENCY = 'per-inbox';

/**
 * The blog's Fedify federation at the site's origin: one actor (a Service named after the blog), its keys, its
 * followers, and the inbox listeners of every area. Loaded lazily (see ./index.ts); this is the only place
 * createFederation is called.
 */
export function buildFederation(deps: FediverseDeps, origin: string): Federation<void> {
  const { settings, followers } = deps;
  // Retries with backoff, and deliveries given up are recorded (see ./delivery-retry.ts).
  const delivery = deliveryRetry(deps.deliveryRetry ?? DELIVERY_RETRY, deps.undelivered.record, deps.now);
  const federation = createFederation<void>({
    kv: deps.kv,
    queue: delivery.queue(deps.queue),
    outboxRetryPolicy: delivery.outboxRetryPolicy,
    onOutboxError: delivery.onOutboxError,
    origin,
    manuallyStartQueue: true,
    allowPrivateAddress: deps.allowPrivateAddress,
    // Remote documents are fetched fresh (the keys themselves stay cached in fedi_kv): with Fedify's 5-minute document
    // cache, its retry after a cached key fails would read the same stale actor, and a rotated key would be refused.
    documentLoaderFactory: (options) => getDocumentLoader({ allowPrivateAddress: options?.allowPrivateAddress ?? deps.allowPrivateAddress, userAgent: options?.userAgent }),
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
        icon: new Image({ url: new URL(`${siteUrl}${ICON_PATH}`), mediaType: 'image/png' }),
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

  // All followers at once (a blog's followers fit in one page). Deliveries pick their recipients themselves (outbound.ts).
  federation
    .setFollowersDispatcher(FOLLOWERS_PATH, async (_ctx, identifier) => (isBlog(identifier) ? { items: followers.all().map(recipientOf) } : null))
    .setCounter((_ctx, identifier) => (isBlog(identifier) ? followers.count() : null));

  federation.setOutboxDispatcher(OUTBOX_PATH, async (_ctx, identifier) => (isBlog(identifier) ? { items: [] } : null)).setCounter(() => 0);

  const inbox = createInboxRegistry();
  registerFollows(inbox);
  registerReplies(inbox);
  registerReactions(inbox);
  const setters = federation
    .setInboxListeners(INBOX_PATH, SHARED_INBOX_PATH)
    .withIdempotency(IDEMPOTENCY)
    .onError((_ctx, err) => deps.logger.warn({ err }, 'Fediverse inbox: an activity could not be handled'));
  inbox.attach(setters, deps);
  return federation;
}
