import express, { Router, type RequestHandler } from 'express';
import type { AppPassport } from '../../auth/passport.js';
import { requireLogin } from '../../auth/guards.js';
import { currentUser } from '../../auth/identity.js';
import type { Services } from '../../container.js';
import { requireSessionCsrf, sessionCsrfToken } from '../../http/csrf.js';
import { forbidden } from '../../http/errors.js';
import type { Limiters } from '../../http/rate-limit.js';
import { postAuthorScope } from '../../services/moderation.js';
import { commentsAdminRouter } from './comments.js';
import { dashboardRouter } from './dashboard.js';
import { EDITOR_UPLOAD_PATH } from './editor-upload.js';
import { exportRouter } from './export.js';
import { FEDIVERSE_UPLOAD_PATH, fediverseAdminRouter } from './fediverse.js';
import { loginRouter } from './login.js';
import { passwordResetRouter } from './password-reset.js';
import { mediaRouter, UPLOAD_PATHS } from './media.js';
import { importRouter } from './import.js';
import { postsAdminRouter } from './posts.js';
import { revisionsRouter } from './revisions.js';
import { profileRouter } from './profile.js';
import { settingsRouter } from './settings.js';
import { usersRouter } from './users.js';

export interface AdminDeps {
  services: Services;
  passport: AppPassport;
  publicUrl: string;
  secret: string;
  setupToken?: string;
  /** Logs an account (`user:<id>`) out of every session but `keepSid` ('' keeps none). */
  endOtherSessions: (userKey: string, keepSid: string) => void;
  limiters: Limiters;
}

/** Admin pages are private and change with every action: never cached, never indexed. */
const privatePages: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'private, no-store');
  res.set('X-Robots-Tag', 'noindex, nofollow');
  next();
};

/**
 * Every state-changing admin request carries the session's token. Uploads (and the editor, whose form may
 * carry an image) are parsed by their own route, which checks the token after reading the form; any other
 * multipart request is refused.
 */
function csrfOnChanges(secret: string): RequestHandler {
  const check = requireSessionCsrf(secret);
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (req.is('multipart/form-data')) {
      const parsedByRoute = [...UPLOAD_PATHS, '/import/', FEDIVERSE_UPLOAD_PATH].includes(req.path) || EDITOR_UPLOAD_PATH.test(req.path);
      return parsedByRoute ? next() : next(forbidden('Unexpected upload'));
    }
    check(req, res, next);
  };
}

export function adminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use(privatePages);
  router.use(loginRouter({ ...deps, users: deps.services.users }));
  router.use(passwordResetRouter({ ...deps, passwordReset: deps.services.passwordReset }));
  router.use(requireLogin);
  // Room for a 1,000,000-character post even in a script that percent-encodes to 9 bytes a character.
  router.use(express.urlencoded({ extended: false, limit: '10mb', parameterLimit: 1000 }));
  router.use(csrfOnChanges(deps.secret));
  router.use((req, res, next) => {
    const user = currentUser(req)!;
    res.locals.admin = {
      user, isAdministrator: user.role === 'administrator', csrfToken: sessionCsrfToken(req, deps.secret), path: req.baseUrl + req.path,
      // The bubble beside Comments in the menu: an author moderates the comments on their own posts only.
      pendingComments: deps.services.moderation.counts(postAuthorScope(user)).pending,
    };
    next();
  });
  router.use(dashboardRouter(deps));
  router.use(revisionsRouter(deps)); // before the posts router: it adds the editor's revision locals
  router.use(postsAdminRouter(deps));
  router.use(commentsAdminRouter(deps));
  router.use(mediaRouter(deps));
  router.use(settingsRouter(deps));
  router.use(fediverseAdminRouter(deps));
  router.use(profileRouter(deps));
  router.use(usersRouter(deps));
  router.use(importRouter(deps));
  router.use(exportRouter(deps));
  return router;
}
