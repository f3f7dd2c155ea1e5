import type { MediaService } from './media.js';
import type { SiteChanges } from './site-changes.js';

/**
 * The media service, saying which posts change when an image they feature is deleted: the schema takes it off them
 * (ON DELETE SET NULL), so their pages, lists and feeds must stop showing it.
 */
export function withFeaturedPosts(media: MediaService, featuring: (mediaId: number) => number[], changes: SiteChanges): MediaService {
  return {
    ...media,
    async remove(id, viewer) {
      const posts = featuring(id);
      const outcome = await media.remove(id, viewer);
      if (outcome === 'removed') for (const postId of posts) changes.post(postId);
      return outcome;
    },
  };
}
