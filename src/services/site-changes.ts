/**
 * What a write changed that readers can see. Services say it after the write is stored; the page cache
 * (src/cache) decides which kept pages that makes stale, so no service or route knows about pages.
 */
export interface SiteChanges {
  /** A post or page was created, edited, published, unpublished, trashed or deleted. */
  post(id: number): void;
  /** What readers see of a post's comments changed: one approved, unapproved, edited or removed. */
  comments(postId: number): void;
  /** A user's name or account changed; their posts show it. */
  user(id: number): void;
  /** Something every page shows, or an unknown set of posts, changed: site settings, scheduled posts going live. */
  everything(): void;
}

/** For services built without a page cache (unit tests, command-line tools): nothing to tell. */
export const NO_CHANGES: SiteChanges = { post() {}, comments() {}, user() {}, everything() {} };
