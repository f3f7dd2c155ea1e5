import { Router } from 'express';
import { currentUser } from '../../auth/identity.js';
import { postAuthorScope } from '../../services/moderation.js';
import type { AdminDeps } from './index.js';

declare module 'express-session' {
  interface SessionData {
    /** Set by the setup page: the dashboard shows what to do next until it is dismissed (or the session ends). */
    welcome?: boolean;
  }
}

/** /admin/: what needs attention — counts of posts and drafts, and the comments waiting for moderation. */
export function dashboardRouter({ services }: AdminDeps): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const user = currentUser(req)!;
    const scope = postAuthorScope(user);
    res.render('admin/dashboard', {
      welcome: req.session.welcome === true,
      posts: services.postEditor.countByStatus('post', scope),
      pages: services.postEditor.countByStatus('page', scope),
      comments: services.moderation.counts(scope),
      pending: services.moderation.latest('pending', 5, scope),
      // Settings → Fediverse is the administrator's: only they are told of deliveries given up.
      undelivered: user.role === 'administrator' ? services.fediOutbound.givenUp().count : 0,
    });
  });
  router.post('/welcome/dismiss', (req, res) => {
    delete req.session.welcome;
    res.redirect(303, '/admin/');
  });
  return router;
}
