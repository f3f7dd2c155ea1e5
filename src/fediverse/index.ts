import type { Context, Federation } from './fedify.js';
import type { FediverseDeps } from './deps.js';
import type { SqliteMessageQueue } from './message-queue.js';
import { followersAdmin } from './followers-admin.js';
import { publicPostAt } from './public-post.js';

interface Loaded {
  origin: string;
  federation: Federation<void>;
  listening: AbortController;
}

export interface FediverseOptions extends Omit<FediverseDeps, 'logger'> {
  queue: SqliteMessageQueue;
  /** How many messages wait in the queue (deliveries left by a stopped process). */
  queued: () => number;
  /** Told at start(), with the logger: outbound events a stopped process had not handed to the queue yet. */
  resume?: (logger: FediverseDeps['logger']) => void;
}

/**
 * The Fediverse as the rest of the blog sees it. Fedify (~400 ms to import) is loaded on the first federated
 * request or event, never at start-up; its queue is listened to from then on, until stop(). The federation is
 * rebuilt if the site's address changes, as its origin is fixed when it is made.
 */
export function createFediverse(options: FediverseOptions) {
  let loaded: Loaded | undefined;
  let loading: Promise<Loaded> | undefined;
  let stopped = false;
  type Log = FediverseDeps['logger'];
  let logger: Log = { info() {}, warn() {}, error() {} };
  // start() names the logger, maybe after the federation was made: the federation's logger asks for it each time.
  const current: Log = { info: (obj: object, msg?: string) => logger.info(obj, msg), warn: (obj: object, msg?: string) => logger.warn(obj, msg), error: (obj: object, msg?: string) => logger.error(obj, msg) };
  const deps: FediverseDeps = { ...options, logger: current };

  const load = async (origin: string): Promise<Loaded> => {
    const { buildFederation } = await import('./federation.js');
    if (loaded?.origin === origin) return loaded;
    loaded?.listening.abort();
    const federation = buildFederation(deps, origin);
    const listening = new AbortController();
    if (!stopped) {
      federation.startQueue(undefined, { signal: listening.signal }).catch((err: unknown) => logger.error({ err }, 'Fediverse queue stopped'));
    }
    loaded = { origin, federation, listening };
    return loaded;
  };

  const federation = async (): Promise<Federation<void>> => {
    const origin = new URL(options.settings.siteUrl()).origin;
    if (loaded?.origin === origin) return loaded.federation;
    loading ??= load(origin).finally(() => (loading = undefined));
    return (await loading).federation;
  };

  /** A context for work outside a request (the admin's actions, publishing). */
  const context = async (): Promise<Context<void>> => (await federation()).createContext(new URL(options.settings.siteUrl()), undefined);

  return {
    enabled: () => options.settings.get().fediverseEnabled,
    federation,
    context,
    /** The blog actor's id, e.g. https://host/fediverse/users/blog. */
    actorUri: async () => (await context()).getActorUri(options.settings.fediverseAccount().user),
    /** The ActivityStreams JSON of the public post at a path, or null. */
    articleAt: async (path: string) => {
      // Looked up first: a path where no public post lives does not load Fedify.
      const post = publicPostAt(path, options);
      if (!post) return post;
      const { articleJson } = await import('./negotiate.js');
      return articleJson(post, await context(), options);
    },
    followers: followersAdmin(options, context),
    /**
     * After the server listens: names the logger, and deliveries a stopped process left in the queue go out now rather
     * than at the next federated request.
     */
    start(log: FediverseDeps['logger']) {
      logger = log;
      if (options.settings.get().fediverseEnabled && options.queued() > 0) void federation();
      options.resume?.(log);
    },
    /** Before the database closes: the queue's listeners finish the message in hand. */
    async stop() {
      stopped = true;
      loaded?.listening.abort();
      await options.queue.stop();
    },
  };
}

export type Fediverse = ReturnType<typeof createFediverse>;
