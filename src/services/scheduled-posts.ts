import type { PostsAdminRepository } from '../repositories/posts-admin.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';

/**
 * Publishes scheduled posts when their time comes. The next due time is kept in memory, so the check a
 * request makes is one comparison; the database is touched only when a post is actually due.
 */
export function createScheduledPosts(admin: PostsAdminRepository, now: () => Date, changes: SiteChanges = NO_CHANGES) {
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
      const published = admin.publishScheduled(at.toISOString());
      reschedule();
      // Which posts went live is not known here, and this happens once per scheduled post: every page is renewed.
      if (published > 0) changes.everything();
      return published;
    },
  };
}

export type ScheduledPosts = ReturnType<typeof createScheduledPosts>;
