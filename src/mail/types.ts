/** What the blog asks to send: kept in the outbox until the worker has handed it to the mail server. */
export interface OutgoingMail {
  /** What it is, for the outbox's records and the tests. */
  kind: MailKind;
  /** One address. */
  to: string;
  /** In the site's language. */
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part (its dynamic parts escaped). */
  html: string;
  /**
   * Set on every subscription message: the address that ends this subscription with one POST (RFC 8058's
   * List-Unsubscribe-Post), also shown in the message as a link to the page that asks before unsubscribing.
   */
  unsubscribeUrl?: string;
}

export type MailKind =
  | 'comment-notice'
  | 'moderation-notice'
  | 'subscription-confirm'
  | 'new-comment'
  | 'new-post'
  | 'password-reset';

export interface Mailer {
  /** False when neither SMTP_URL nor MAIL_DIR is set: email features are off, and the admin says so. */
  readonly enabled: boolean;
  /**
   * Queues a message: one insert into the outbox (inside the caller's transaction, if one is open), never a wait for
   * the network; the worker sends it. Returns false, queuing nothing, when mail is off or the address is suppressed
   * (it bounced, or asked never to be written to again). Also false for a `to` that is not one plain address.
   */
  queue(mail: OutgoingMail): boolean;
  /** Never writes to this address again (a hard bounce, or an unsubscribe from everything). */
  suppress(address: string, reason: 'bounced' | 'unsubscribed'): void;
}
