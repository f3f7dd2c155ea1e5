import { Router } from 'express';
import { notFound } from '../http/errors.js';
import type { ViewHelpers } from '../http/locals.js';
import type { Post } from '../models.js';
import type { PostsService } from '../services/posts.js';

export interface PreviewDeps {
  posts: PostsService;
  previewOf: (key: string) => Post | null;
}

/**
 * /p/<key>/: a draft or scheduled post for whoever holds its private link, never indexed or cached.
 * Once published, the link leads to the permalink.
 */
export function previewRouter({ posts, previewOf }: PreviewDeps): Router {
  const router = Router();
  router.get('/p/:key', (req, res) => {
    const post = previewOf(String(req.params.key));
    if (!post) throw notFound();
    const helpers = res.locals as ViewHelpers;
    // Not 301: browsers would keep it, and the post may go back to being a draft.
    if (post.status === 'published') return res.redirect(302, helpers.postUrl(post));
    res.set('Cache-Control', 'private, no-store');
    res.set('X-Robots-Tag', 'noindex, nofollow');
    const view = posts.pageView(post);
    res.render('post', {
      // A draft without a date yet shows the time it was last saved.
      post: { ...view.post, publishedAt: post.publishedAt ?? post.updatedAt },
      preview: true,
      thread: { roots: [], count: 0, page: 1, totalPages: 1 },
      form: { open: false },
      meta: { title: post.title, noindex: true },
    });
  });
  return router;
}
