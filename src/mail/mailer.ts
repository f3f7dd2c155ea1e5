import crypto from 'node:crypto';
import type { OutboxRepository } from '../repositories/outbox.js';
import type { Mailer, OutgoingMail } from './types.js';

export interface MailerOptions {
  outbox: OutboxRepository;
  /** False when no transport is configured: nothing is queued. */
  enabled: boolean;
  /** The public host, the right-hand side of every Message-ID. */
  hostname: string;
  now: () => number;
  /** Told after each queued message (the worker, which looks once the caller's transaction is over). */
  onQueued: () => void;
}

/** One plain address: no name, no list (nodemailer would send to every address of "a@x, b@y"), no line break. */
const SINGLE_ADDRESS = /^[^\s@,;<>"]+@[^\s@,;<>"]+$/;

/** Only a plain absolute URL may go into a header: no spaces, angle brackets or line breaks. */
const HEADER_SAFE_URL = /^https?:\/\/[^\s<>]+$/;

export function createMailer({ outbox, enabled, hostname, now, onQueued }: MailerOptions): Mailer {
  return {
    enabled,
    queue(mail: OutgoingMail) {
      if (!enabled || !SINGLE_ADDRESS.test(mail.to) || outbox.isSuppressed(mail.to)) return false;
      if (mail.unsubscribeUrl !== undefined && !HEADER_SAFE_URL.test(mail.unsubscribeUrl)) {
        throw new Error(`unsubscribeUrl must be an absolute http(s) URL, got ${JSON.stringify(mail.unsubscribeUrl)}`);
      }
      outbox.insert({ ...mail, messageId: `<${crypto.randomUUID()}@${hostname}>` }, now());
      onQueued();
      return true;
    },
    suppress(address, reason) {
      outbox.suppress(address, reason, now());
    },
  };
}
