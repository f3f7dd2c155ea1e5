import { AsyncLocalStorage } from 'node:async_hooks';
import { Temporal, createExponentialBackoffPolicy } from './fedify.js';
import type { Activity, Message, MessageQueue, RetryPolicy } from './fedify.js';
import type { NewUndelivered } from '../repositories/fedi-undelivered.js';

/** How deliveries are retried: waits that double from `initialMs` up to `maxDelayMs`, given up after `giveUpAfterMs`. */
export interface DeliveryRetry {
  initialMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

/** About a day of tries, as Mastodon gives a dead instance: 30 s, 1 min, 2 min… then every 6 hours. */
export const DELIVERY_RETRY: DeliveryRetry = { initialMs: 30_000, maxDelayMs: 6 * 3600_000, giveUpAfterMs: 24 * 3600_000 };

/** Far beyond a day at the longest wait; keeps the doubling's numbers finite. */
const MAX_ATTEMPTS = 40;

interface InHand {
  message: Message;
  error?: unknown;
}

/**
 * Fedify 1.10 retries a failed delivery itself (its outbox queue handler asks `outboxRetryPolicy` for the next wait
 * and enqueues the message again) and, when the policy answers null, only logs that it gives up. Its
 * `onOutboxError(error, activity)` is told of every failure just before, but not of the inbox. So the queue's
 * handler runs each message inside an AsyncLocalStorage: the error callback notes the error on it, and the policy,
 * on giving up, records the message's inbox, activity and that error.
 */
export function deliveryRetry(retry: DeliveryRetry, record: (row: NewUndelivered) => void, now: () => number = Date.now) {
  const inHand = new AsyncLocalStorage<InHand>();
  const backoff = createExponentialBackoffPolicy({
    initialDelay: Temporal.Duration.from({ milliseconds: retry.initialMs }),
    maxDelay: Temporal.Duration.from({ milliseconds: retry.maxDelayMs }),
    maxAttempts: MAX_ATTEMPTS,
  });

  const outboxRetryPolicy: RetryPolicy = (context) => {
    const delay = context.elapsedTime.total('millisecond') >= retry.giveUpAfterMs ? null : backoff(context);
    const current = inHand.getStore();
    if (delay === null && current?.message.type === 'outbox') {
      const { message, error } = current;
      // Fedify names the type by its full IRI (…/activitystreams#Create): the admin reads the short name.
      const activityType = message.activityType.slice(message.activityType.lastIndexOf('#') + 1);
      record({ inbox: message.inbox, activityId: message.activityId ?? '', activityType, error: describe(error), givenUpAt: now() });
    }
    return delay;
  };

  const onOutboxError = (error: Error, _activity: Activity | null) => {
    const current = inHand.getStore();
    if (current) current.error = error;
  };

  /** The queue as Fedify sees it, each message handled inside its own store. */
  const queue = (inner: MessageQueue): MessageQueue => ({
    ...inner,
    enqueue: inner.enqueue.bind(inner),
    enqueueMany: inner.enqueueMany?.bind(inner),
    listen: (handler, options) => inner.listen((message: Message) => inHand.run({ message }, () => handler(message)), options),
  });

  return { outboxRetryPolicy, onOutboxError, queue };
}

/** The error as the admin reads it: its message, cut short (a refusing instance's answer can be long). */
function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error ?? 'unknown error');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
