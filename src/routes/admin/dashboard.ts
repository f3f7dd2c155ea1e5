import { Router } from 'express';
import { currentUser } from '../../auth/identity.js';
import { postAuthorScope } from '../../services/moderation.js';
import type { AdminDeps } from './index.js';

/** /admin/: what needs attention — counts of posts and drafts, and the comments waiting for moderation. */
export function dashboardRouter({ services }: AdminDeps): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const user = currentUser(req)!;
    const scope = postAuthorScope(user);
    res.render('admin/dashboard', {
      posts: services.postEditor.countByStatus('post', scope),
      pages: services.postEditor.countByStatus('page', scope),
      comments: services.moderation.counts(scope),
      pending: services.moderation.latest('pending', 5, scope),
    });
  });
  return router;
}
