import crypto from 'node:crypto';
import { translator } from '../i18n/index.js';
import type { Mailer } from '../mail/types.js';
import type { Comment, ListedPost } from '../models.js';
import { postPath } from '../permalinks.js';
import type { Subscription, SubscriptionsRepository } from '../repositories/subscriptions.js';
import type { BlogEvents, SubscriptionWishes } from './blog-events.js';
import type { SettingsService } from './settings.js';
import { confirmationMail, newCommentMail, newPostMail } from './subscription-mail.js';

/** Confirmation messages allowed, so the comment form cannot be used to mail-bomb an address or flood from one post. */
export const CONFIRMATION_LIMITS = { perAddressPerDay: 3, perPostPerHour: 10 };

/** Where the pages live; the token in each is the only authority (no login, no cookie). */
export const SUBSCRIPTION_PATHS = {
  confirm: (token: string) => `/subscriptions/confirm/${token}/`,
  manage: (token: string) => `/subscriptions/manage/${token}/`,
  unsubscribe: (token: string) => `/subscriptions/unsubscribe/${token}/`,
};

/** A token in a link: 24 random bytes, URL-safe; anything else is refused before a lookup. */
const newToken = () => crypto.randomBytes(24).toString('base64url');
export const isToken = (value: string) => /^[A-Za-z0-9_-]{32}$/.test(value);

export interface SubscriptionsDeps {
  repo: SubscriptionsRepository;
  mailer: Mailer;
  settings: SettingsService;
  transaction: <T>(fn: () => T) => T;
  now?: () => Date;
}

/** The manage page: the address it belongs to (shown only to whoever holds its link) and each subscription. */
export interface ManagePage {
  email: string;
  items: { id: number; what: string; confirmed: boolean }[];
}

export function createSubscriptions({ repo, mailer, settings, transaction, now = () => new Date() }: SubscriptionsDeps) {
  const absolute = (path: string) => new URL(path, settings.siteUrl()).href;
  const site = () => {
    const s = settings.get();
    return { t: translator(s.language), title: s.title, zone: s.timeZone };
  };
  const describe = (subscription: Pick<Subscription, 'postId' | 'postTitle'>) => {
    const { t } = site();
    return subscription.postId === null ? t('subscriptions.what.newPosts') : t('subscriptions.what.followUps', { title: subscription.postTitle ?? '' });
  };

  /** Records what a commenter ticked and sends one confirmation, unless nothing waits for one or a limit is reached. */
  function request(comment: Comment, post: ListedPost, wishes: SubscriptionWishes) {
    const email = repo.commentEmail(comment.id);
    if (!mailer.enabled || !email || (!wishes.followUps && !wishes.newPosts)) return;
    const at = now();
    const iso = at.toISOString();
    transaction(() => {
      const subscriber = repo.subscriber(email, newToken(), iso);
      const confirmToken = newToken();
      const waiting = [
        wishes.followUps && repo.request(subscriber.id, post.id, newToken(), confirmToken, iso),
        wishes.newPosts && repo.request(subscriber.id, null, newToken(), confirmToken, iso),
      ].some(Boolean);
      if (!waiting) return;
      const dayAgo = new Date(at.getTime() - 86400_000).toISOString();
      const sent = repo.confirmationsSent(email, dayAgo, post.id, new Date(at.getTime() - 3600_000).toISOString());
      // Past a limit the pending subscription stays (a later, allowed request mails its link) but nothing is sent now.
      if (sent.address >= CONFIRMATION_LIMITS.perAddressPerDay || sent.post >= CONFIRMATION_LIMITS.perPostPerHour) return;
      const { t, title } = site();
      const what = repo.awaiting(confirmToken)!.subscriptions.map(describe);
      const mail = confirmationMail(t, email, title, what, absolute(SUBSCRIPTION_PATHS.confirm(confirmToken)), { manage: absolute(SUBSCRIPTION_PATHS.manage(subscriber.token)) });
      if (mailer.queue(mail)) repo.recordConfirmation(email, post.id, iso, dayAgo);
    });
  }

  const linksFor = (r: { manageToken: string; unsubscribeToken: string }) => ({
    manage: absolute(SUBSCRIPTION_PATHS.manage(r.manageToken)),
    unsubscribe: absolute(SUBSCRIPTION_PATHS.unsubscribe(r.unsubscribeToken)),
  });

  const listener: Partial<BlogEvents> = {
    commentAdded(comment, post, wishes) {
      if (wishes) request(comment, post, wishes);
    },
    commentApproved(comment, post) {
      if (!mailer.enabled) return;
      const { t, zone } = site();
      const url = absolute(`${postPath(post, zone)}#comment-${comment.id}`);
      const writer = repo.commentEmail(comment.id);
      for (const r of repo.recipients(post.id)) {
        if (r.email === writer) continue;
        mailer.queue(newCommentMail(t, r.email, { authorName: comment.authorName, bodyHtml: comment.bodyHtml, url }, post.title, linksFor(r)));
      }
    },
    postPublished(post) {
      if (!mailer.enabled || post.type !== 'post' || post.status !== 'published') return;
      if (!repo.markPostSent(post.id, now().toISOString())) return;
      const { t, title, zone } = site();
      // A protected post's words are for those who have its password: the message gives its title and link only.
      const summary = { title: post.title, excerptHtml: post.password === null ? post.excerptHtml : '', url: absolute(postPath(post, zone)) };
      for (const r of repo.recipients(null)) mailer.queue(newPostMail(t, r.email, summary, title, linksFor(r)));
    },
  };

  return {
    listener,
    /** What a confirmation link would confirm; undefined when it is unknown or already used. */
    awaiting(confirmToken: string): string[] | undefined {
      if (!isToken(confirmToken)) return undefined;
      return repo.awaiting(confirmToken)?.subscriptions.map(describe);
    },
    /** Confirms, and says what the address now receives (with its manage token); undefined when the link is not (or no longer) valid. */
    confirm(confirmToken: string): { receives: string[]; manageToken: string } | undefined {
      if (!isToken(confirmToken)) return undefined;
      return transaction(() => {
        const found = repo.awaiting(confirmToken);
        if (!found) return undefined;
        repo.confirm(confirmToken, now().toISOString());
        return { receives: repo.list(found.subscriber.id).filter((s) => s.confirmed).map(describe), manageToken: found.subscriber.token };
      });
    },
    manage(manageToken: string): ManagePage | undefined {
      const subscriber = isToken(manageToken) ? repo.findSubscriber(manageToken) : undefined;
      if (!subscriber) return undefined;
      return { email: subscriber.email, items: repo.list(subscriber.id).map((s) => ({ id: s.id, what: describe(s), confirmed: s.confirmed })) };
    },
    /** Ends one of the address's subscriptions; false when the page or the subscription is unknown. */
    unsubscribe(manageToken: string, id: number): boolean {
      const subscriber = isToken(manageToken) ? repo.findSubscriber(manageToken) : undefined;
      return !!subscriber && repo.remove(subscriber.id, id);
    },
    /** Ends every subscription, and the address is never written to again. */
    unsubscribeAll(manageToken: string): boolean {
      const subscriber = isToken(manageToken) ? repo.findSubscriber(manageToken) : undefined;
      if (!subscriber) return false;
      transaction(() => repo.removeAll(subscriber.id));
      mailer.suppress(subscriber.email, 'unsubscribed');
      return true;
    },
    /** The subscription a one-click link ends, described for the page that asks first. */
    oneClickTarget(token: string): { what: string; manageToken: string } | undefined {
      const found = isToken(token) ? repo.findByToken(token) : undefined;
      return found && { what: describe(found), manageToken: found.subscriber.token };
    },
    /** RFC 8058's POST: ends that one subscription. */
    oneClick(token: string): { what: string; manageToken: string } | undefined {
      const found = isToken(token) ? repo.findByToken(token) : undefined;
      if (!found) return undefined;
      repo.remove(found.subscriber.id, found.id);
      return { what: describe(found), manageToken: found.subscriber.token };
    },
  };
}

export type SubscriptionsService = ReturnType<typeof createSubscriptions>;
