import type { Comment, Post } from '../models.js';

/**
 * What happened that someone may need to hear of by email. Services say it after the write is stored (as
 * SiteChanges tells the page cache); the mail notices and subscriptions listen, so the comment and post services
 * know nothing of email.
 */
export interface BlogEvents {
  /** A comment was stored, approved or held (its status says which), with what its writer ticked to be emailed. */
  commentAdded(comment: Comment, post: Post, wishes?: SubscriptionWishes): void;
  /** A comment became visible to readers: stored approved, or approved by a moderator later. */
  commentApproved(comment: Comment, post: Post): void;
  /** A post went public for the first time: published now, or a scheduled post whose time came. */
  postPublished(post: Post): void;
}

/** The comment form's two boxes: "Notify me of follow-up comments" and "Notify me of new posts" by email. */
export interface SubscriptionWishes {
  followUps: boolean;
  newPosts: boolean;
}

/** For services built without listeners (unit tests, command-line tools): nothing to tell. */
export const NO_EVENTS: BlogEvents = { commentAdded() {}, commentApproved() {}, postPublished() {} };

/** One BlogEvents that tells each listener in turn. */
export function allOf(...listeners: Partial<BlogEvents>[]): BlogEvents {
  return {
    commentAdded: (comment, post, wishes) => listeners.forEach((l) => l.commentAdded?.(comment, post, wishes)),
    commentApproved: (comment, post) => listeners.forEach((l) => l.commentApproved?.(comment, post)),
    postPublished: (post) => listeners.forEach((l) => l.postPublished?.(post)),
  };
}
