import type { Database } from 'better-sqlite3';
import type { Comment, PostLink } from '../models.js';

/** An approved comment as a feed lists it, with what its link needs of its post. */
export interface FeedComment extends Pick<Comment, 'id' | 'postId' | 'parentId' | 'authorName' | 'bodyHtml' | 'createdAt'> {
  post: PostLink;
}

type Row = Omit<FeedComment, 'post'> & { type: PostLink['type']; slug: string; title: string; publishedAt: string };

// Comments on published posts only, and none behind a post's password (as WordPress's feed leaves them out).
const select = (index: string) => `SELECT c.id, c.post_id AS postId, c.parent_id AS parentId, c.author_name AS authorName,
    c.body_html AS bodyHtml, c.created_at AS createdAt, p.type, p.slug, p.title, p.published_at AS publishedAt
  FROM comments c INDEXED BY ${index} JOIN posts p ON p.id = c.post_id
  WHERE c.status = 'approved' AND p.type = 'post' AND p.status = 'published' AND coalesce(p.password, '') = ''`;

const toFeedComment = ({ type, slug, title, publishedAt, ...comment }: Row): FeedComment =>
  ({ ...comment, post: { id: comment.postId, type, slug, title, publishedAt } });

/** The newest approved comments, blog-wide or on one post: the comments feeds. */
export function createCommentFeedRepository(db: Database) {
  // Newest first off the index of approved comments by date (migration 0026): without it named, the planner takes
  // the index by status and sorts every approved comment of the blog to find the newest ten.
  const latest = db.prepare(`${select('comments_approved_time')} ORDER BY c.created_at DESC, c.id DESC LIMIT ?`);
  // One post's: its approved comments off its own index, sorted (a post's comments are few beside the blog's).
  const latestOnPost = db.prepare(`${select('comments_post')} AND c.post_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ?`);
  return {
    latest: (limit: number) => (latest.all(limit) as Row[]).map(toFeedComment),
    latestOnPost: (postId: number, limit: number) => (latestOnPost.all(postId, limit) as Row[]).map(toFeedComment),
  };
}

export type CommentFeedRepository = ReturnType<typeof createCommentFeedRepository>;
