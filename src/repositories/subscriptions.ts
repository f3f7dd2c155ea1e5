import type { Database } from 'better-sqlite3';

/** One subscription as the pages and messages need it; `postId` null is "new posts". */
export interface Subscription {
  id: number;
  postId: number | null;
  /** The post's title, for follow-up subscriptions. */
  postTitle: string | null;
  token: string;
  confirmed: boolean;
}

export interface Subscriber {
  id: number;
  email: string;
  token: string;
}

/** A confirmed subscriber of one list, with the token that ends that one subscription. */
export interface Recipient {
  email: string;
  manageToken: string;
  unsubscribeToken: string;
}

export interface SubscriptionsRepository {
  /** The address's subscriber row, made (with this manage token) when it has none. */
  subscriber(email: string, newToken: string, at: string): Subscriber;
  findSubscriber(token: string): Subscriber | undefined;
  /** Asks for a subscription: a new one waits for `confirmToken`, a waiting one takes it; a confirmed one stays. True when it waits. */
  request(subscriberId: number, postId: number | null, token: string, confirmToken: string, at: string): boolean;
  /** The subscriptions waiting for this confirmation link, with their subscriber. */
  awaiting(confirmToken: string): { subscriber: Subscriber; subscriptions: Subscription[] } | undefined;
  confirm(confirmToken: string, at: string): void;
  list(subscriberId: number): Subscription[];
  findByToken(token: string): (Subscription & { subscriber: Subscriber }) | undefined;
  /** Ends one subscription of a subscriber; false when it is not theirs. */
  remove(subscriberId: number, id: number): boolean;
  removeAll(subscriberId: number): void;
  /** Confirmed subscribers of a post's comments (postId) or of new posts (null). */
  recipients(postId: number | null): Recipient[];
  /** Confirmations sent to this address since `addressSince`, and for this post since `postSince`. */
  confirmationsSent(email: string, addressSince: string, postId: number, postSince: string): { address: number; post: number };
  recordConfirmation(email: string, postId: number, at: string, forgetBefore: string): void;
  /** The address a comment was written with (kept off the public Comment model). */
  commentEmail(commentId: number): string;
  /** Marks a post mailed to new-post subscribers; false when it already was. */
  markPostSent(postId: number, at: string): boolean;
}

const SUBSCRIPTION = `s.id, s.post_id AS postId, p.title AS postTitle, s.token, s.confirmed_at IS NOT NULL AS confirmed
  FROM subscriptions s LEFT JOIN posts p ON p.id = s.post_id`;

type Row = Omit<Subscription, 'confirmed'> & { confirmed: number };
const toSubscription = ({ confirmed, ...rest }: Row): Subscription => ({ ...rest, confirmed: confirmed === 1 });

export function createSubscriptionsRepository(db: Database): SubscriptionsRepository {
  const addSubscriber = db.prepare(`INSERT INTO subscribers (email, token, created_at) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING`);
  const subscriberByEmail = db.prepare('SELECT id, email, token FROM subscribers WHERE email = ?');
  const subscriberByToken = db.prepare('SELECT id, email, token FROM subscribers WHERE token = ?');
  const subscriberById = db.prepare('SELECT id, email, token FROM subscribers WHERE id = ?');
  const existing = db.prepare('SELECT id, confirmed_at AS confirmedAt FROM subscriptions WHERE subscriber_id = ? AND coalesce(post_id, 0) = coalesce(?, 0)');
  const insert = db.prepare(`INSERT INTO subscriptions (subscriber_id, post_id, token, confirm_token, created_at) VALUES (?, ?, ?, ?, ?)`);
  const retoken = db.prepare('UPDATE subscriptions SET confirm_token = ? WHERE id = ?');
  const byConfirm = db.prepare(`SELECT s.subscriber_id AS subscriberId, ${SUBSCRIPTION} WHERE s.confirm_token = ? ORDER BY s.post_id IS NULL, s.id`);
  const confirm = db.prepare('UPDATE subscriptions SET confirmed_at = ?, confirm_token = NULL WHERE confirm_token = ?');
  const list = db.prepare(`SELECT ${SUBSCRIPTION} WHERE s.subscriber_id = ? ORDER BY s.post_id IS NOT NULL, s.id`);
  const byToken = db.prepare(`SELECT s.subscriber_id AS subscriberId, ${SUBSCRIPTION} WHERE s.token = ?`);
  const remove = db.prepare('DELETE FROM subscriptions WHERE subscriber_id = ? AND id = ?');
  const removeAll = db.prepare('DELETE FROM subscriptions WHERE subscriber_id = ?');
  const recipients = db.prepare(`SELECT r.email, r.token AS manageToken, s.token AS unsubscribeToken
    FROM subscriptions s JOIN subscribers r ON r.id = s.subscriber_id
    WHERE coalesce(s.post_id, 0) = coalesce(?, 0) AND s.confirmed_at IS NOT NULL ORDER BY s.id`);
  const perEmail = db.prepare('SELECT count(*) FROM subscription_confirmations WHERE email = ? AND sent_at >= ?').pluck();
  const perPost = db.prepare('SELECT count(*) FROM subscription_confirmations WHERE post_id = ? AND sent_at >= ?').pluck();
  const record = db.prepare('INSERT INTO subscription_confirmations (email, post_id, sent_at) VALUES (?, ?, ?)');
  const forget = db.prepare('DELETE FROM subscription_confirmations WHERE sent_at < ?');
  const commentEmail = db.prepare('SELECT author_email FROM comments WHERE id = ?').pluck();
  const markSent = db.prepare('INSERT INTO subscription_posts_sent (post_id, sent_at) VALUES (?, ?) ON CONFLICT DO NOTHING');

  return {
    subscriber(email, newToken, at) {
      addSubscriber.run(email, newToken, at);
      return subscriberByEmail.get(email) as Subscriber;
    },
    findSubscriber: (token) => subscriberByToken.get(token) as Subscriber | undefined,
    request(subscriberId, postId, token, confirmToken, at) {
      const found = existing.get(subscriberId, postId) as { id: number; confirmedAt: string | null } | undefined;
      if (!found) insert.run(subscriberId, postId, token, confirmToken, at);
      else if (found.confirmedAt === null) retoken.run(confirmToken, found.id);
      return !found || found.confirmedAt === null;
    },
    awaiting(confirmToken) {
      const rows = byConfirm.all(confirmToken) as (Row & { subscriberId: number })[];
      if (rows.length === 0) return undefined;
      return { subscriber: subscriberById.get(rows[0].subscriberId) as Subscriber, subscriptions: rows.map(({ subscriberId: _, ...row }) => toSubscription(row)) };
    },
    confirm: (confirmToken, at) => void confirm.run(at, confirmToken),
    list: (subscriberId) => (list.all(subscriberId) as Row[]).map(toSubscription),
    findByToken(token) {
      const row = byToken.get(token) as (Row & { subscriberId: number }) | undefined;
      if (!row) return undefined;
      const { subscriberId, ...rest } = row;
      return { ...toSubscription(rest), subscriber: subscriberById.get(subscriberId) as Subscriber };
    },
    remove: (subscriberId, id) => remove.run(subscriberId, id).changes > 0,
    removeAll: (subscriberId) => void removeAll.run(subscriberId),
    recipients: (postId) => recipients.all(postId) as Recipient[],
    confirmationsSent: (email, addressSince, postId, postSince) => ({ address: perEmail.get(email, addressSince) as number, post: perPost.get(postId, postSince) as number }),
    recordConfirmation(email, postId, at, forgetBefore) {
      forget.run(forgetBefore);
      record.run(email, postId, at);
    },
    commentEmail: (commentId) => ((commentEmail.get(commentId) as string | undefined) ?? '').toLowerCase(),
    markPostSent: (postId, at) => markSent.run(postId, at).changes > 0,
  };
}
