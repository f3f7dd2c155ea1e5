import type { Db } from '../db/open.js';
import type { MailKind, OutgoingMail } from '../mail/types.js';

/** One message in the outbox, as the worker reads it. */
export interface OutboxRow {
  id: number;
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl: string | null;
  messageId: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'unknown' | 'suppressed';

const COLUMNS = `id, kind, recipient AS "to", subject, text, html, unsubscribe_url AS unsubscribeUrl, message_id AS messageId, status,
  attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError, created_at AS createdAt, sent_at AS sentAt`;

/** Addresses are compared lowercased: a bounce of Jo@Example.org stops mail to jo@example.org too. */
const normal = (address: string) => address.trim().toLowerCase();

export function createOutboxRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO outbox (kind, recipient, subject, text, html, unsubscribe_url, message_id, next_attempt_at, created_at)
    VALUES (@kind, @to, @subject, @text, @html, @unsubscribeUrl, @messageId, @at, @at)`);
  const suppressed = db.prepare('SELECT 1 FROM mail_suppressions WHERE address = ?').pluck();
  const addSuppression = db.prepare('INSERT OR IGNORE INTO mail_suppressions (address, reason, created_at) VALUES (?, ?, ?)');
  // One statement, so claiming is atomic: no other worker can take the same row between the read and the write.
  const claim = db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1
    WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1)
    RETURNING ${COLUMNS}`);
  const nextDue = db.prepare("SELECT min(next_attempt_at) FROM outbox WHERE status = 'queued'").pluck();
  const finish = db.prepare("UPDATE outbox SET status = @status, last_error = @error, sent_at = @sentAt WHERE id = @id AND status = 'sending'");
  const retry = db.prepare("UPDATE outbox SET status = 'queued', last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'sending'");
  const interrupted = db.prepare(`UPDATE outbox SET status = 'unknown', last_error = 'the blog stopped while the server had it; not sent again'
    WHERE status = 'sending' RETURNING ${COLUMNS}`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`);
  return {
    /** Adds a message to send now; returns its row id. */
    insert(mail: OutgoingMail & { messageId: string }, at: number): number {
      return Number(insert.run({ ...mail, to: mail.to.trim(), unsubscribeUrl: mail.unsubscribeUrl ?? null, at }).lastInsertRowid);
    },
    isSuppressed: (address: string) => suppressed.get(normal(address)) !== undefined,
    suppress(address: string, reason: 'bounced' | 'unsubscribed', at: number) {
      addSuppression.run(normal(address), reason, at);
    },
    /** Takes the next message due at `at` and marks it sending (its own write, committed before any SMTP). */
    claimDue: (at: number) => claim.get(at) as OutboxRow | undefined,
    /** When the earliest queued message is due, if any is. */
    nextDueAt: () => (nextDue.get() as number | null) ?? undefined,
    sent: (id: number, at: number) => void finish.run({ id, status: 'sent', error: null, sentAt: at }),
    gaveUp: (id: number, status: 'failed' | 'bounced' | 'suppressed', error: string) => void finish.run({ id, status, error, sentAt: null }),
    retryAt: (id: number, error: string, at: number) => void retry.run(error, at, id),
    /** Rows left `sending` by a process that died mid-send: marked unknown and returned, so the log can say which. */
    markInterrupted: () => interrupted.all() as OutboxRow[],
    byId: (id: number) => byId.get(id) as OutboxRow | undefined,
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
