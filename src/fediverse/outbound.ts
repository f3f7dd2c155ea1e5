import crypto from 'node:crypto';
import type { Post } from '../models.js';
import { postPath } from '../permalinks.js';
import type { FediFollowersRepository } from '../repositories/fedi-followers.js';
import type { FediKvRepository } from '../repositories/fedi-kv.js';
import type { FediUndeliveredRepository } from '../repositories/fedi-undelivered.js';
import type { BlogEvents } from '../services/blog-events.js';
import type { PostsService } from '../services/posts.js';
import type { SettingsService } from '../services/settings.js';
import type { Context } from './fedify.js';
import type { FediverseDeps } from './deps.js';
import { deliverableFollowers, recipientOf } from './recipients.js';

type Kind = 'Create' | 'Update' | 'Delete';

/** An event waiting for Fedify (~400 ms to load): kept in fedi_kv, so a process that dies meanwhile sends it at start. */
interface Pending {
  kind: Kind;
  postId: number;
  /** The post's address while it was public: a Delete's Tombstone names it. */
  url: string;
  /** Part of the activity's id, chosen once: a second try after a crash sends the same activity. */
  uuid: string;
}

const PREFIX = ['blog', 'outbound'];
/** How far back the admin is told of deliveries given up. */
const GIVEN_UP_SHOWN_MS = 30 * 24 * 3600_000;
const GIVEN_UP_LISTED = 20;
const prefixText = JSON.stringify(PREFIX).slice(0, -1);

export interface OutboundDeps {
  settings: SettingsService;
  posts: Pick<PostsService, 'pageView'>;
  findPost: (id: number) => Post | undefined;
  followers: Pick<FediFollowersRepository, 'count' | 'all'>;
  /** Tests only: followers' inboxes on loopback may be posted to. */
  allowLoopback: boolean;
  pending: FediKvRepository;
  undelivered: Pick<FediUndeliveredRepository, 'recent' | 'countSince'>;
  context: () => Promise<Context<void>>;
  now?: () => number;
}

/**
 * Publishing goes out to the followers: Create(Article) when a post goes public, Update when it changes, Delete when
 * it is withdrawn. The event is written down at once (one SQLite row) and the admin's request goes on; Fedify is
 * loaded and the activity handed to its durable queue afterwards (./delivery-retry.ts retries and gives up).
 * Pages, protected posts and a blog without followers send nothing, nor does anything while the Fediverse is off.
 */
export function createOutbound({ settings, posts, findPost, followers, allowLoopback, pending, undelivered, context, now = Date.now }: OutboundDeps) {
  let logger: FediverseDeps['logger'] = { info() {}, warn() {}, error() {} };
  let draining: Promise<void> | undefined;
  let more = false;

  const note = (kind: Kind, post: Post) => {
    if (!settings.get().fediverseEnabled || post.type !== 'post' || post.password !== null || followers.count() === 0) return;
    const url = `${settings.siteUrl()}${postPath(post, settings.get().timeZone)}`;
    const entry: Pending = { kind, postId: post.id, url, uuid: crypto.randomUUID() };
    // Keys sort by time, so a post's Create goes before its Delete.
    pending.set(JSON.stringify([...PREFIX, `${String(now()).padStart(15, '0')}-${entry.uuid}`]), JSON.stringify(entry), null);
    void drain();
  };

  const activityOf = async (ctx: Context<void>, entry: Pending) => {
    const { Create, Delete, PUBLIC_COLLECTION, Temporal, Tombstone, Update } = await import('./fedify.js');
    const { postToArticle } = await import('./article.js');
    const { user } = settings.fediverseAccount();
    const actor = ctx.getActorUri(user);
    const followersUri = ctx.getFollowersUri(user);
    const id = new URL(`#${entry.kind.toLowerCase()}/${entry.uuid}`, actor);
    const audience = { id, actor, to: PUBLIC_COLLECTION, cc: followersUri };
    if (entry.kind === 'Delete') return new Delete({ ...audience, object: new Tombstone({ id: new URL(entry.url) }) });
    // Written now as it is now; a post withdrawn since then has its Delete waiting behind this.
    const post = findPost(entry.postId);
    if (post?.status !== 'published' || post.password !== null) return null;
    const article = postToArticle(posts.pageView(post).post, { siteUrl: settings.siteUrl(), timeZone: settings.get().timeZone, actorUri: actor, followersUri });
    return entry.kind === 'Create'
      ? new Create({ ...audience, object: article, published: article.published })
      : new Update({ ...audience, object: article, updated: Temporal.Instant.from(post.updatedAt) });
  };

  const run = async () => {
    try {
      while (more) {
        more = false;
        for (const row of pending.list(JSON.stringify(PREFIX), prefixText + ',', now())) {
          if (settings.get().fediverseEnabled) {
            const ctx = await context();
            const activity = await activityOf(ctx, JSON.parse(row.value) as Pending);
            // Only the followers whose inboxes may still be posted to (see deliverableFollowers), one per shared inbox.
            const to = (await deliverableFollowers(followers.all(), allowLoopback)).map(recipientOf);
            if (activity && to.length > 0) await ctx.sendActivity({ identifier: settings.fediverseAccount().user }, to, activity, { preferSharedInbox: true });
          }
          pending.delete(row.key);
        }
      }
    } catch (err) {
      // Kept for the next event or start-up (Fedify failed to load, or the database closed under a stopping process).
      logger.error({ err }, 'Fediverse: a post could not be handed to the delivery queue');
    } finally {
      draining = undefined;
    }
  };

  const drain = () => {
    more = true;
    draining ??= run();
    return draining;
  };

  return {
    listener: {
      postPublished: (post) => note('Create', post),
      postUpdated: (post) => note('Update', post),
      postWithdrawn: (post) => note('Delete', post),
    } satisfies Partial<BlogEvents>,
    /** At start-up: names the logger, and events a stopped process had not handed on yet go out now. */
    resume(log: FediverseDeps['logger']) {
      logger = log;
      if (pending.list(JSON.stringify(PREFIX), prefixText + ',', now()).length > 0) void drain();
    },
    /** Deliveries given up in the last 30 days: how many, and the newest (inbox, activity, error, when). */
    givenUp: () => {
      const since = now() - GIVEN_UP_SHOWN_MS;
      return { count: undelivered.countSince(since), latest: undelivered.recent(since, GIVEN_UP_LISTED) };
    },
    /** Resolves once what was noted so far is in the delivery queue (tests; the listener itself never waits). */
    settled: () => draining ?? Promise.resolve(),
  };
}

export type Outbound = ReturnType<typeof createOutbound>;
