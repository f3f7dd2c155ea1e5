import type { Post } from '../models.js';
import type { PostsAdminRepository } from '../repositories/posts-admin.js';
import { NO_EVENTS, type BlogEvents } from './blog-events.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';

/**
 * Publishes scheduled posts when their time comes. The next due time is kept in memory, so the check a
 * request makes is one comparison; the database is touched only when a post is actually due.
 */
export function createScheduledPosts(
  admin: PostsAdminRepository,
  now: () => Date,
  changes: SiteChanges = NO_CHANGES,
  /** Who hears of a post going live (new-post subscribers), and how to read it. */
  published: { events: Pick<BlogEvents, 'postPublished'>; findById: (id: number) => Post | undefined } = { events: NO_EVENTS, findById: () => undefined },
) {
  let nextDue = Number.POSITIVE_INFINITY;
  const reschedule = () => {
    const next = admin.nextScheduled();
    nextDue = next ? Date.parse(next) : Number.POSITIVE_INFINITY;
  };
  reschedule();
  return {
    reschedule,
    /** Publishes what is due; cheap when nothing is. */
    publishDue() {
      const at = now();
      if (at.getTime() < nextDue) return 0;
      const ids = admin.publishScheduled(at.toISOString());
      reschedule();
      // This happens once per scheduled post, and a new post shows on many pages (lists, archives): every page is renewed.
      if (ids.length > 0) changes.everything();
      for (const id of ids) {
        const post = published.findById(id);
        if (post) published.events.postPublished(post);
      }
      return ids.length;
    },
  };
}

export type ScheduledPosts = ReturnType<typeof createScheduledPosts>;
