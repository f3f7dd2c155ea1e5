import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { OutboxRow } from '../repositories/outbox.js';

/** A From address: MAIL_FROM as written, or the site's title with the default address. */
export type MailFrom = string | { name: string; address: string };

/**
 * The message nodemailer writes for an outbox row: the row's Message-ID, so every attempt is the same message; the
 * Date it was queued (when it was complete, RFC 5322 §3.6.1), not of a retry; both parts; and on subscription mail
 * the one-click unsubscribe headers of RFC 8058.
 */
export function buildMessage(row: OutboxRow, from: MailFrom): SendMailOptions {
  return {
    from,
    // An address object, never parsed as a list of addresses.
    to: { name: '', address: row.to },
    subject: row.subject,
    text: row.text,
    html: row.html,
    messageId: row.messageId,
    date: new Date(row.createdAt),
    headers: row.unsubscribeUrl
      ? { 'List-Unsubscribe': `<${row.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      : {},
  };
}
