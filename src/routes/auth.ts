import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { AuthenticateOptions } from 'passport';
import { perIpLimit } from '../http/rate-limit.js';
import { callbackUrl, type AppPassport } from '../auth/passport.js';
import { notFound } from '../http/errors.js';
import { field } from '../http/form.js';
import { sameOriginOnly } from '../http/same-origin.js';
import { requireSessionCsrf } from '../http/csrf.js';
import type { Commenter, Provider } from '../models.js';
import type { PostsService } from '../services/posts.js';

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
}

/** What the comment form held when its visitor went to log in; it comes back into the box. */
export interface CommentDraft {
  postId: string;
  parentId: string;
  text: string;
}

declare module 'express-session' {
  interface SessionData {
    commentDraft?: CommentDraft;
    returnTo?: string;
    authError?: string;
  }
}


export function authRouter({ passport, providers, posts, publicUrl, siteUrl, secret, providerTimeoutMs = 10_000 }: AuthRouteDeps): Router {
  const router = Router();
  const known = (provider: string): provider is Provider => (providers as string[]).includes(provider);
  const form = [sameOriginOnly(publicUrl), express.urlencoded({ extended: false, limit: '300kb', parameterLimit: 20 })];

  /** Where to send the visitor back: their post's comment form, never another site. */
  const back = (req: Request) => `${req.session.returnTo ?? '/'}#respond`;

  /** Keeps what the comment form held, and its post as the place to come back to. */
  const keepDraft = (req: Request) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const postId = field(body, 'post_id');
    req.session.commentDraft = { postId, parentId: field(body, 'parent_id'), text: field(body, 'comment') };
    req.session.returnTo = (/^\d{1,12}$/.test(postId) && posts.permalinkOf(Number(postId))) || '/';
  };

  const failed = (req: Request, res: Response, message: string) => {
    req.session.authError = message;
    res.redirect(303, back(req));
  };

  // Log Out and Change are buttons of the comment form too: the draft survives both.
  router.post('/auth/logout', ...form, requireSessionCsrf(secret), (req, res, next) => {
    keepDraft(req);
    req.logout({ keepSessionInfo: true }, (err) => (err ? next(err) : res.redirect(303, back(req))));
  });

  // The provider icons are submit buttons of the comment form (formaction), so the draft comes along.
  // Each start writes a session and calls the provider: a visitor gets a few a minute.
  const starts = perIpLimit(10, 60_000);
  router.post('/auth/:provider', starts, ...form, (req, res, next) => {
    const provider = String(req.params.provider);
    if (!known(provider)) throw notFound();
    keepDraft(req);
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
      failed(req, res, 'The login provider did not answer in time. Please try again.');
    }, providerTimeoutMs);
    // The strategy may answer by itself (a redirect to the provider): no timer outlives the response.
    res.on('close', () => clearTimeout(deadline));
    // passport-oauth1 and -oauth2 take the callback per call, so a changed site URL applies without a restart.
    const options: AuthenticateOptions & { callbackURL: string } = { callbackURL: callbackUrl(siteUrl(), provider) };
    passport.authenticate(provider, options, (err: unknown, user: Commenter | false) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (err || !user) return failed(req, res, 'Logging in did not work, so you are not logged in. Your comment is still here.');
      req.logIn(user, { session: true, keepSessionInfo: true }, (loginErr) => (loginErr ? next(loginErr) : res.redirect(303, back(req))));
    })(req, res, next);
  };

  router.get('/auth/:provider/callback', (req, res, next) => {
    const provider = String(req.params.provider);
    if (!known(provider)) throw notFound();
    authenticate(provider, req, res, next);
  });

  return router;
}
