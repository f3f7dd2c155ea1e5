import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { MailTransportConfig } from '../config.js';
import type { OutboxRepository, OutboxRow } from '../repositories/outbox.js';
import { buildMessage, type MailFrom } from './message.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Waits after the 1st, 2nd, … failed attempt; the last repeats until the message is a day old. */
export const BACKOFF_MS: readonly number[] = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR];
export const GIVE_UP_AFTER_MS = 24 * HOUR;
/** How long stop() waits for a message in the middle of its SMTP conversation. */
const STOP_WAIT_MS = 10_000;

export interface MailWorkerOptions {
  outbox: OutboxRepository;
  transport?: MailTransportConfig;
  from: () => MailFrom;
  now?: () => number;
  backoffMs?: readonly number[];
  giveUpAfterMs?: number;
}

type Send = (message: SendMailOptions, row: OutboxRow) => Promise<void>;

/** nodemailer is loaded on the first message, not at start-up. */
async function openTransport(config: MailTransportConfig): Promise<Send> {
  const { default: nodemailer } = await import('nodemailer');
  if ('smtpUrl' in config) {
    // nodemailer's defaults wait 2 min to connect and 10 min on a silent socket; a stuck server should not hold the queue that long.
    const smtp = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
    return async (message) => void (await smtp.sendMail(message));
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return async (message, row) => {
    const info = await stream.sendMail(message);
    await fs.mkdir(config.dir, { recursive: true });
    const stamp = new Date(row.createdAt).toISOString().replace(/[:.]/g, '-');
    await fs.writeFile(path.join(config.dir, `${stamp}-${row.kind}-${row.id}.eml`), info.message as Buffer);
  };
}

type Outcome = 'retry' | 'bounce' | 'fail';

/**
 * A 5xx to the recipient or to the message is the address's fault: it bounces. A 5xx elsewhere (a refused login or
 * sender) is the blog's setup, which the admin can fix, so it is retried like a 4xx, a refused connection or a timeout.
 * nodemailer's own checks (an address it cannot use) never succeed, however often tried.
 */
function outcomeOf(err: unknown): Outcome {
  const { responseCode, command } = err as { responseCode?: number; command?: string };
  if (command === 'API') return 'fail';
  if (responseCode !== undefined && responseCode >= 500 && (command === 'RCPT TO' || command === 'DATA')) return 'bounce';
  return 'retry';
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/**
 * Sends the outbox one message at a time. Each row is marked `sending` before the SMTP conversation and `sent`
 * after; a row still `sending` at start-up is never sent again (at most once: see the README's Email section).
 */
export function createMailWorker({ outbox, transport, from, now = Date.now, backoffMs = BACKOFF_MS, giveUpAfterMs = GIVE_UP_AFTER_MS }: MailWorkerOptions) {
  let logger: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
  let running = false;
  let busy: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let send: Send | undefined;

  const kick = () => {
    if (!running || !transport) return;
    if (busy) {
      again = true;
      return;
    }
    clearTimeout(timer);
    busy = drain()
      .catch((err: unknown) => logger?.error({ err }, 'the mail worker stopped on an error; it tries again with the next message'))
      .finally(() => {
        busy = undefined;
        if (again) {
          again = false;
          kick();
        } else sleep();
      });
  };

  /** Sleeps until the next retry is due; a new message wakes it sooner. */
  const sleep = () => {
    if (!running) return;
    try {
      const due = outbox.nextDueAt();
      if (due === undefined) return;
      timer = setTimeout(kick, Math.max(0, due - now()));
      timer.unref();
    } catch (err) {
      logger?.error({ err }, 'the mail worker cannot read the outbox');
    }
  };

  async function drain() {
    for (let row = outbox.claimDue(now()); row; row = running ? outbox.claimDue(now()) : undefined) await deliver(row);
  }

  async function deliver(row: OutboxRow) {
    const log = { messageId: row.messageId, kind: row.kind, attempt: row.attempts };
    // Queued before the address bounced or unsubscribed.
    if (outbox.isSuppressed(row.to)) return outbox.gaveUp(row.id, 'suppressed', 'the address asked not to be written to, or bounced');
    try {
      send ??= await openTransport(transport!);
      await send(buildMessage(row, from()), row);
    } catch (err) {
      const error = describe(err);
      const outcome = outcomeOf(err);
      if (outcome === 'bounce') {
        outbox.gaveUp(row.id, 'bounced', error);
        outbox.suppress(row.to, 'bounced', now());
        return logger?.warn({ ...log, error }, 'mail bounced; the address is never written to again');
      }
      const retryAt = now() + backoffMs[Math.min(row.attempts, backoffMs.length) - 1];
      if (outcome === 'fail' || retryAt - row.createdAt > giveUpAfterMs) {
        outbox.gaveUp(row.id, 'failed', error);
        return logger?.error({ ...log, error }, 'mail not sent; giving up');
      }
      outbox.retryAt(row.id, error, retryAt);
      return logger?.warn({ ...log, error, retryAt: new Date(retryAt).toISOString() }, 'mail not sent yet; trying again later');
    }
    outbox.sent(row.id, now());
    logger?.info(log, 'mail sent');
  }

  return {
    /** Marks rows a dead process left mid-send, then sends what is due. */
    start(log: Pick<Logger, 'info' | 'warn' | 'error'>) {
      logger = log;
      for (const row of outbox.markInterrupted()) {
        log.warn({ messageId: row.messageId, kind: row.kind }, 'mail was being sent when the blog stopped; the server may or may not have it, so it is not sent again');
      }
      running = true;
      kick();
    },
    /** Looks for due mail once the caller's transaction is over (queue() may run inside one). */
    wake() {
      if (running) setImmediate(kick);
    },
    /** Sends nothing more; waits (a while) for a message in the middle of being sent, so it is recorded as sent. */
    async stop() {
      running = false;
      clearTimeout(timer);
      if (!busy) return;
      let giveUp: NodeJS.Timeout | undefined;
      await Promise.race([busy, new Promise<void>((resolve) => (giveUp = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(giveUp);
    },
  };
}

export type MailWorker = ReturnType<typeof createMailWorker>;
