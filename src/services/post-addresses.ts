import type { Post, PostType } from '../models.js';
import { postPath, readablePath } from '../permalinks.js';
import type { PostsAdminRepository } from '../repositories/posts-admin.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { SettingsService } from './settings.js';
import { isReservedPageSlug } from './slugs.js';

export interface PostAddressesDeps {
  posts: Pick<PostsRepository, 'findById'>;
  admin: Pick<PostsAdminRepository, 'slugOwner' | 'descendants' | 'addRedirect'>;
  settings: SettingsService;
}

/** A post's address as the editor changes it: a free slug, and the old paths of the pages a change moves kept as redirects. */
export function createPostAddresses({ posts, admin, settings }: PostAddressesDeps) {
  /** A free slug: the one asked for, or with -2, -3… when another post holds it. */
  const uniqueSlug = (base: string, type: PostType, ownId?: number) => {
    const root = type === 'page' && isReservedPageSlug(base) ? `${base}-page` : base;
    let slug = root;
    for (let n = 2; ; n++) {
      const owner = admin.slugOwner(slug);
      if (owner === undefined || owner === ownId) return slug;
      slug = `${root}-${n}`;
    }
  };

  /** The published pages under a page, however deep, with their paths now (before a change moves them). */
  const publishedDescendants = (id: number) =>
    admin.descendants(id).map((childId) => posts.findById(childId)).filter((child): child is Post => child?.status === 'published')
      .map((child) => ({ id: child.id, path: postPath(child, settings.get().timeZone) }));
  /**
   * Former paths of posts and pages a change moved answer 301 to where they are now (see permalink-history.ts),
   * kept readable (`/東京/`) as an import keeps them.
   */
  const keepOldPaths = (before: { id: number; path: string }[]) => {
    for (const { id, path } of before) {
      const now = posts.findById(id);
      if (now && postPath(now, settings.get().timeZone) !== path) admin.addRedirect(readablePath(path) ?? path, id);
    }
  };

  return { uniqueSlug, publishedDescendants, keepOldPaths };
}
