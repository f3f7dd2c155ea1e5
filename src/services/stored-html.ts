import type { CommentsRepository } from '../repositories/comments.js';
import type { PendingWorkRepository } from '../repositories/pending-work.js';
import type { PostsAdminRepository } from '../repositories/posts-admin.js';
import { settleCommentHtml } from './comment-html.js';
import { renderPost } from './markdown.js';
import type { ImageLookup } from './responsive-images.js';

/** The request a migration leaves when the renderer or a sanitizer changes (migrations/0008_rerender_html.sql). */
const RERENDER = 'rerender_html';

export interface RerenderCounts {
  /** Posts and pages whose stored HTML or text changed. */
  posts: number;
  comments: number;
}

interface Deps {
  posts: PostsAdminRepository;
  comments: CommentsRepository;
  work: PendingWorkRepository;
  transaction: <T>(fn: () => T) => T;
  /** Uploads' sizes, for their srcset (media service's `images`). */
  images?: ImageLookup;
}

/** Keeps stored HTML what the current renderer and sanitizers make, after a migration asks for it. */
export function createStoredHtmlService({ posts, comments, work, transaction, images }: Deps) {
  return {
    /**
     * Renders every post again from its source (by its format) and excerpt, and settles every comment's HTML (comments keep no
     * raw text; sanitizing clean HTML again keeps it), when a migration asked for it; all or nothing, once.
     * Returns what changed, or undefined when nothing was asked.
     */
    rerenderIfRequested(): RerenderCounts | undefined {
      return transaction(() => {
        // Taken first, so the transaction holds the write lock before reading: a second process waits, then finds nothing.
        if (!work.take(RERENDER)) return undefined;
        const counts: RerenderCounts = { posts: 0, comments: 0 };
        for (const post of posts.renderSources()) {
          const rendered = renderPost(post.bodyMarkdown, post.excerpt, post.sourceFormat, images);
          if (rendered.bodyHtml === post.bodyHtml && rendered.bodyText === post.bodyText && rendered.excerptHtml === post.excerptHtml && rendered.saysMore === post.saysMore) continue;
          posts.setRendered(post.id, rendered);
          counts.posts++;
        }
        for (const comment of comments.allBodies()) {
          const bodyHtml = settleCommentHtml(comment.bodyHtml);
          if (bodyHtml === comment.bodyHtml) continue;
          comments.setBodyHtml(comment.id, bodyHtml);
          counts.comments++;
        }
        return counts;
      });
    },
  };
}

export type StoredHtmlService = ReturnType<typeof createStoredHtmlService>;
