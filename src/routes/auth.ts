import express, { Router, type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import type { AuthenticateOptions } from 'passport';
import { limitPerAddress, type Limiters } from '../http/rate-limit.js';
import { callbackUrl, type AppPassport } from '../auth/passport.js';
import { loginInProgress } from '../auth/login-progress.js';
import { HttpError, notFound } from '../http/errors.js';
import { field } from '../http/form.js';
import { sameOriginOnly } from '../http/same-origin.js';
import { requireSessionCsrf } from '../http/csrf.js';
import type { ViewHelpers } from '../http/locals.js';
import type { MessageKey } from '../i18n/index.js';
import type { Commenter, Provider } from '../models.js';
import { LIMITS } from '../services/comment-rules.js';
import type { PostsService } from '../services/posts.js';
import { mastodonLoginRoutes, type MastodonLoginDeps } from './mastodon-login.js';

export interface AuthRouteDeps {
  passport: AppPassport;
  providers: Provider[];
  posts: PostsService;
  /** PUBLIC_URL as started, for the same-origin check. */
  publicUrl: string;
  /** The site's current address (a setting): the callback URL each provider is given. */
  siteUrl: () => string;
  /** How long a provider may take to answer the callback's token and profile requests. */
  providerTimeoutMs?: number;
  secret: string;
  limiters: Limiters;
  /** Log in with Mastodon, whose instance the visitor names (not a Passport strategy). */
  mastodon?: MastodonLoginDeps;
}

/** What the comment form held when its visitor went to log in; it comes back into the box. */
export interface CommentDraft {
  postId: string;
  parentId: string;
  text: string;
}

/** Why a login did not work, said once on the post the visitor was sent back to (see renderPostPage). */
export interface AuthError {
  path: string;
  /** A catalogue key: the post says it in the site's language. */
  message: MessageKey;
}

declare module 'express-session' {
  interface SessionData {
    commentDraft?: CommentDraft;
    returnTo?: string;
    authError?: AuthError;
  }
}

/** Requests to /auth/* a minute per address: each may write a session or call a provider; a login takes two. */
const AUTH_REQUESTS_PER_MINUTE = 10;
/** A session that holds only a draft (no login yet) is kept this long; a login gets the normal lifetime. */
const DRAFT_SESSION_MS = 60 * 60_000;
/** A comment at its limit with every character percent-encoded (any ASCII text), plus the form's short fields. */
const FORM_LIMIT_BYTES = LIMITS.text * 3 + 4096;

export function authRouter({ passport, providers, posts, publicUrl, siteUrl, secret, limiters, mastodon, providerTimeoutMs = 10_000 }: AuthRouteDeps): Router {
  const router = Router();
  const known = (provider: string): provider is Provider => (providers as string[]).includes(provider);
  router.use('/auth', limitPerAddress(limiters, { name: 'auth', points: AUTH_REQUESTS_PER_MINUTE, windowMs: 60_000 }));
  const form = [sameOriginOnly(publicUrl), express.urlencoded({ extended: false, limit: FORM_LIMIT_BYTES, parameterLimit: 20 })];

  const postPathOf = (postId: string) => (/^\d{1,12}$/.test(postId) && posts.permalinkOf(Number(postId))) || '/';
  /** Where to send the visitor back: their post's comment form, never another site. */
  const back = (req: Request) => `${req.session.returnTo ?? '/'}#respond`;

  /** What the comment form held; a comment longer than any comment may be is refused, not cut. */
  const draftOf = (req: Request): CommentDraft => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = field(body, 'comment');
    if (text.length > LIMITS.text) throw new HttpError(413, 'Comment too long to keep');
    return { postId: field(body, 'post_id'), parentId: field(body, 'parent_id'), text };
  };

  /** Keeps the draft, and its post as the place to come back to; without a login the session lives an hour. */
  const keepDraft = (req: Request, draft: CommentDraft) => {
    req.session.commentDraft = draft;
    req.session.returnTo = postPathOf(draft.postId);
    if (!req.user) req.session.cookie.maxAge = DRAFT_SESSION_MS;
  };

  const failed = (req: Request, res: Response, message: MessageKey) => {
    const path = req.session.returnTo;
    if (path && path !== '/') req.session.authError = { path, message: req.user ? 'login.stillLoggedIn' : message };
    res.redirect(303, back(req));
  };

  // Log Out and Change are buttons of the comment form too: the draft survives both.
  router.post('/auth/logout', ...form, requireSessionCsrf(secret), (req, res, next) => {
    const draft = draftOf(req);
    // No login to end (it expired, or never was): back to the post, storing nothing.
    if (!req.user) return res.redirect(303, `${postPathOf(draft.postId)}#respond`);
    // A fresh session, so the draft-only lifetime applies; only the draft comes along.
    req.logout((err) => {
      if (err) return next(err);
      keepDraft(req, draft);
      res.redirect(303, back(req));
    });
  });

  /** The same session login for every provider; the draft and the way back come along. */
  const signedIn = (req: Request, res: Response, next: NextFunction, user: Commenter) => {
    const { commentDraft, returnTo } = req.session;
    // A new session with the normal lifetime (not the draft's hour).
    req.logIn(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      Object.assign(req.session, { commentDraft, returnTo });
      res.redirect(303, back(req));
    });
  };

  /** A callback with no login in progress: replayed, or opened in another browser. A logged-in visitor stays so. */
  const notStarted = (req: Request, res: Response) => {
    if (req.user) return res.redirect(303, back(req));
    if (req.session.returnTo) return failed(req, res, 'login.notStarted');
    // No post to go back to: a page says what happened, and no session is stored.
    problemPage(res, 400, 'expired');
  };

  if (mastodon) {
    mastodonLoginRoutes(router, { form, siteUrl, timeoutMs: providerTimeoutMs, draftOf, keepDraft, failed, notStarted, signedIn }, mastodon);
  }

  // The provider icons are submit buttons of the comment form (formaction), so the draft comes along.
  router.post('/auth/:provider', ...form, (req, res, next) => {
    const provider = String(req.params.provider);
    if (!known(provider)) throw notFound();
    keepDraft(req, draftOf(req));
    authenticate(provider, req, res, next);
  });

  /**
   * Runs a step of the provider's dance within the deadline. Any failure (refusal, bad state, a provider that
   * errs, is unreachable or slow) brings the visitor back to their post with a message and the draft.
   */
  const authenticate = (provider: Provider, req: Request, res: Response, next: NextFunction) => {
    let settled = false;
    const deadline = setTimeout(() => {
      if (settled || res.headersSent) return;
      settled = true;
      failed(req, res, 'login.timedOut');
    }, providerTimeoutMs);
    // The strategy may answer by itself (a redirect to the provider): no timer outlives the response.
    res.on('close', () => clearTimeout(deadline));
    // passport-oauth1 and -oauth2 take the callback per call, so a changed site URL applies without a restart.
    const options: AuthenticateOptions & { callbackURL: string } = { callbackURL: callbackUrl(siteUrl(), provider) };
    passport.authenticate(provider, options, (err: unknown, user: Commenter | false) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (err || !user) return failed(req, res, 'login.failed');
      signedIn(req, res, next, user);
    })(req, res, next);
  };

  router.get('/auth/:provider/callback', (req, res, next) => {
    const provider = String(req.params.provider);
    if (!known(provider)) throw notFound();
    if (loginInProgress(req, provider)) return authenticate(provider, req, res, next);
    notStarted(req, res);
  });

  router.use('/auth', ((err, _req, res, next) => {
    if ((err as { status?: unknown })?.status !== 413) return next(err);
    problemPage(res, 413, 'tooLong');
  }) as ErrorRequestHandler);

  return router;
}

function problemPage(res: Response, status: number, problem: 'expired' | 'tooLong') {
  const { t } = res.locals as ViewHelpers;
  res.status(status).render('auth-problem', { problem, meta: { title: t(`login.${problem}.title`), noindex: true } });
}
