import type { Post } from '../models.js';
import { postPath } from '../permalinks.js';
import type { TermsRepository } from '../repositories/terms.js';
import type { BlogEvents } from './blog-events.js';
import { byTaxonomy } from './posts.js';
import type { SettingsService } from './settings.js';

export interface SaveAnnouncerDeps {
  terms: Pick<TermsRepository, 'forPosts'>;
  settings: SettingsService;
  events: BlogEvents;
}

/** What a save of a post means to those outside the blog (new-post subscribers, the Fediverse), told to them. */
export function createSaveAnnouncer({ terms, settings, events }: SaveAnnouncerDeps) {
  /** What a live post shows outside the blog (feeds, the Fediverse): a save that changes none of it is no update. */
  const publicFace = (post: Post) => JSON.stringify([post.title, post.bodyHtml, post.excerptHtml, post.featuredImage?.mediaId ?? null,
    byTaxonomy(terms.forPosts([post.id]).get(post.id) ?? []).tags.map((tag) => tag.name)]);

  /** Tells the listeners what a save meant for the public: a post gone live, changed while live, or withdrawn. */
  const announceSave = (existing: Post | undefined, faceBefore: string | null, saved: Post) => {
    const wasLive = existing?.status === 'published';
    const isLive = saved.status === 'published';
    if (isLive && !wasLive) events.postPublished(saved);
    else if (!wasLive || !existing) return;
    else if (!isLive || (existing.password === null && saved.password !== null)) events.postWithdrawn(existing);
    else if (existing.password !== null && saved.password === null) events.postPublished(saved);
    else if (postPath(existing, settings.get().timeZone) !== postPath(saved, settings.get().timeZone)) {
      // A new address is a new object to others (its id is its URL): the old one is withdrawn, the new one goes out.
      events.postWithdrawn(existing);
      events.postPublished(saved);
    } else if (publicFace(saved) !== faceBefore) events.postUpdated(saved);
  };

  return { publicFace, announceSave };
}
