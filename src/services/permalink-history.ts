import type { Post } from '../models.js';
import { postPath, readablePath } from '../permalinks.js';
import type { PostsAdminRepository } from '../repositories/posts-admin.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { SettingsService } from './settings.js';

/** Old permalinks and private preview links: the ways to a post other than its current permalink. */
export function createPermalinkHistory(admin: PostsAdminRepository, posts: PostsRepository, settings: SettingsService) {
  return {
    /** Where a former permalink of a published post now lives, if the path (as a browser sends it) was one. */
    currentPathFor(path: string): string | null {
      const readable = readablePath(path);
      const id = readable === null ? undefined : admin.redirectFor(readable);
      const post = id === undefined ? undefined : posts.findById(id);
      return post?.status === 'published' ? postPath(post, settings.get().timeZone) : null;
    },
    /** A post by its preview key, unless it is in the trash. */
    previewOf(key: string): Post | null {
      const post = /^[0-9a-f]{32}$/.test(key) ? admin.findByPreviewKey(key) : undefined;
      return post && post.status !== 'trash' ? post : null;
    },
  };
}
