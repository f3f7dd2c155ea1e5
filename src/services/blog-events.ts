import type { Comment, ListedPost, Post } from '../models.js';

/**
 * What happened that someone may need to hear of. Services say it after the write is stored (as SiteChanges tells
 * the page cache); the mail notices, the subscriptions and the Fediverse's outbound deliveries listen, so the comment
 * and post services know nothing of email or federation.
 */
export interface BlogEvents {
  /** A comment was stored, approved or held (its status says which), with what its writer ticked to be emailed. */
  commentAdded(comment: Comment, post: ListedPost, wishes?: SubscriptionWishes): void;
  /** A comment became visible to readers: stored approved, or approved by a moderator later. */
  commentApproved(comment: Comment, post: ListedPost): void;
  /** A post went public: published now, a scheduled post whose time came, or a live post's password taken off. */
  postPublished(post: Post): void;
  /** A live post was saved again with a change readers see elsewhere: its title, text, excerpt, tags or featured image. */
  postUpdated(post: Post): void;
  /**
   * A live post stopped being public: trashed, switched to draft or scheduled, password-protected, or deleted for
   * good. The post as it was while public, so its address is the one others know.
   */
  postWithdrawn(post: Post): void;
}

/** The comment form's two boxes: "Notify me of follow-up comments" and "Notify me of new posts" by email. */
export interface SubscriptionWishes {
  followUps: boolean;
  newPosts: boolean;
}

/** For services built without listeners (unit tests, command-line tools): nothing to tell. */
export const NO_EVENTS: BlogEvents = { commentAdded() {}, commentApproved() {}, postPublished() {}, postUpdated() {}, postWithdrawn() {} };

/** One BlogEvents that tells each listener in turn. */
export function allOf(...listeners: Partial<BlogEvents>[]): BlogEvents {
  return {
    commentAdded: (comment, post, wishes) => listeners.forEach((l) => l.commentAdded?.(comment, post, wishes)),
    commentApproved: (comment, post) => listeners.forEach((l) => l.commentApproved?.(comment, post)),
    postPublished: (post) => listeners.forEach((l) => l.postPublished?.(post)),
    postUpdated: (post) => listeners.forEach((l) => l.postUpdated?.(post)),
    postWithdrawn: (post) => listeners.forEach((l) => l.postWithdrawn?.(post)),
  };
}
