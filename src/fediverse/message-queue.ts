import type { MessageQueue, MessageQueueEnqueueOptions, MessageQueueListenOptions } from './fedify.js';
import type { FediQueueRepository } from '../repositories/fedi-queue.js';

/** How often a listener looks for messages that became due (an enqueue in this process wakes it at once). */
export const POLL_MS = 1_000;
/** Messages handled at once: a slow instance holds one worker, not every delivery and inbox activity behind it. */
export const WORKERS = 4;
/**
 * How long a worker waits for one message before it takes the next. Fedify gives its deliveries no timeout, and an
 * instance that trickles its answer a byte at a time would hold a worker for good; the message stays claimed, and is
 * deleted, whenever its handler does finish.
 */
export const HANDLER_WAIT_MS = 60_000;

export interface SqliteMessageQueue extends MessageQueue {
  /** Resolves once every listener has finished the message in hand and returned. */
  stop(): Promise<void>;
}

const delayOf = (options: MessageQueueEnqueueOptions | undefined) => Math.max(0, options?.delay?.total('millisecond') ?? 0);

/**
 * Fedify's message queue on the blog's SQLite file: outgoing deliveries and inbox work survive a restart. A row is
 * claimed (taken_at) while handled and deleted after; a failed handler's message is Fedify's to retry (it enqueues
 * it again with a delay). Only types come from Fedify here, so this file loads without it.
 */
export function createSqliteMessageQueue(repo: FediQueueRepository, { pollMs = POLL_MS, now = Date.now, workers = WORKERS, handlerWaitMs = HANDLER_WAIT_MS } = {}): SqliteMessageQueue {
  // What a crashed process had in hand is handled again (at least once, as Fedify expects of a queue).
  repo.releaseTaken();
  const wakers = new Set<() => void>();
  const running = new Set<Promise<void>>();
  const stopper = new AbortController();
  const wakeAll = () => wakers.forEach((wake) => wake());

  const enqueueAll = async (messages: unknown[], options?: MessageQueueEnqueueOptions) => {
    repo.add(messages.map((m) => JSON.stringify(m)), now() + delayOf(options));
    wakeAll();
  };

  const loop = async (handler: (message: unknown) => Promise<void> | void, signal: AbortSignal) => {
    while (!signal.aborted) {
      const row = repo.claim(now());
      if (row) {
        const handled = (async () => handler(JSON.parse(row.message)))()
          // Fedify retries its own failures by enqueueing again; a handler that still throws must not stop the queue.
          .catch(() => undefined)
          .finally(() => repo.done(row.id));
        let waited: NodeJS.Timeout | undefined;
        await Promise.race([handled, new Promise<void>((resolve) => (waited = setTimeout(resolve, handlerWaitMs)))]);
        clearTimeout(waited);
        continue;
      }
      const due = repo.nextDue();
      const wait = Math.min(pollMs, due === null ? pollMs : Math.max(0, due - now()));
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakers.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        wakers.add(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  };

  return {
    nativeRetrial: false,
    enqueue: (message, options) => enqueueAll([message], options),
    enqueueMany: (messages, options) => enqueueAll(messages, options),
    listen(handler, options: MessageQueueListenOptions = {}) {
      const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
      // Each worker claims its own row (a claim is one synchronous statement), and deletes it only once handled.
      const run = Promise.all(Array.from({ length: workers }, () => loop(handler, signal))).then(() => undefined);
      running.add(run);
      return run.finally(() => running.delete(run));
    },
    async stop() {
      stopper.abort();
      await Promise.allSettled([...running]);
    },
  };
}
