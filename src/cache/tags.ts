/**
 * Tags name what a kept page shows, read from what it was rendered with. An entry carries:
 * - `page:<id>` if it is the page of post <id> (any of its comment pages);
 * - `post:<id>` for each post it shows (its own page, an item of a list, a neighbour's link);
 * - `comments:<id>` for each post whose comments or comment count it shows (its page, list items);
 * - `author:<id>` for each author whose name it shows;
 * - `lists` if it is a list of posts (home, archives, search, feeds, sitemap): any post published,
 *   unpublished or moved may enter, leave or reorder it;
 * - `all-comments` if it lists the blog's newest comments (the comments feed): any comment may enter it.
 */
export const LISTS = 'lists';
export const ALL_COMMENTS = 'all-comments';
export const ownPageTag = (id: number) => `page:${id}`;
export const postTag = (id: number) => `post:${id}`;
export const commentsTag = (postId: number) => `comments:${postId}`;
export const authorTag = (userId: number) => `author:${userId}`;

interface Shown {
  id?: unknown;
  authorId?: unknown;
}

/** What a page sent without a template says it shows (`res.locals.cacheView`, see routes/feeds.ts). */
export interface CacheView {
  /** A comments feed: one post's (its id), else the blog's. */
  commentFeed?: { postId?: number };
}

/** The locals a page template gets that say which posts it shows (see routes/reader.ts and post-page.ts). */
interface PageView extends CacheView {
  post?: Shown;
  previous?: Shown;
  next?: Shown;
  listing?: { items?: Shown[] };
  results?: { items?: { post?: Shown }[] };
}

/** The tags of a page from its render locals; a page rendered without a template (a feed, the sitemap) is a list. */
export function tagsOf(locals: unknown): string[] {
  const view = (locals ?? {}) as PageView;
  const tags = new Set<string>();
  const shows = (post: Shown | undefined, { comments = false, author = false } = {}) => {
    if (typeof post?.id !== 'number') return;
    tags.add(postTag(post.id));
    if (comments) tags.add(commentsTag(post.id));
    if (author && typeof post.authorId === 'number') tags.add(authorTag(post.authorId));
  };
  if (view.commentFeed) {
    const { postId } = view.commentFeed;
    // A post's comments feed changes with its comments and its title; the blog's with any comment, or a post leaving.
    return postId === undefined ? [LISTS, ALL_COMMENTS] : [postTag(postId), commentsTag(postId)];
  }
  if (view.post) {
    if (typeof view.post.id === 'number') tags.add(ownPageTag(view.post.id));
    shows(view.post, { comments: true, author: true });
    shows(view.previous);
    shows(view.next);
    return [...tags];
  }
  tags.add(LISTS);
  for (const item of view.listing?.items ?? []) shows(item, { comments: true, author: true });
  for (const item of view.results?.items ?? []) shows(item.post);
  return [...tags];
}
