import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { loginSessionKey } from '../auth/login-progress.js';
import type { MastodonLogin, PendingLogin, Site } from '../services/mastodon-login.js';
import { parseInstance } from '../services/mastodon-instance.js';
import { notFound } from '../http/errors.js';
import { field } from '../http/form.js';
import type { ViewHelpers } from '../http/locals.js';
import type { MessageKey } from '../i18n/index.js';
import type { Commenter } from '../models.js';
import type { CommentersService } from '../services/commenters.js';
import type { CommentDraft } from './auth.js';

export interface MastodonLoginDeps {
  login: MastodonLogin;
  commenters: CommentersService;
  /** Whether the Fediverse is on (Settings): the login is offered only then. */
  enabled: () => boolean;
  siteTitle: () => string;
}

/** What the auth router lends: the comment form's parsing and the way back to the post, as for the other logins. */
export interface LoginFlow {
  form: RequestHandler[];
  siteUrl: () => string;
  timeoutMs: number;
  draftOf(req: Request): CommentDraft;
  keepDraft(req: Request, draft: CommentDraft): void;
  failed(req: Request, res: Response, message: MessageKey): void;
  /** A callback with no login in progress in this browser (replayed, or opened elsewhere). */
  notStarted(req: Request, res: Response): void;
  signedIn(req: Request, res: Response, next: NextFunction, user: Commenter): void;
}

/** The login under way: its PKCE verifier and state, and where the visitor is sent to approve it. */
type Pending = PendingLogin & { authorizeUrl?: string };

const SESSION_KEY = loginSessionKey('fediverse');
const pendingOf = (req: Request) => (req.session as unknown as Record<string, Pending | undefined>)[SESSION_KEY];
const setPending = (req: Request, pending: Pending | undefined) => {
  (req.session as unknown as Record<string, Pending | undefined>)[SESSION_KEY] = pending;
};

/**
 * Log in with Mastodon: the visitor names their instance in the comment form; the blog registers itself there (once)
 * and runs OAuth 2 with PKCE against it. Unlike the other four, the instance is the visitor's choice.
 */
export function mastodonLoginRoutes(router: Router, flow: LoginFlow, { login, commenters, enabled, siteTitle }: MastodonLoginDeps) {
  const site = (): Site => ({ title: siteTitle(), url: flow.siteUrl(), redirectUri: `${flow.siteUrl()}/auth/mastodon/callback` });
  const guard: RequestHandler = (_req, _res, next) => next(enabled() ? undefined : notFound());

  router.post('/auth/mastodon', guard, ...flow.form, async (req, res) => {
    flow.keepDraft(req, flow.draftOf(req));
    const instance = parseInstance(field((req.body ?? {}) as Record<string, unknown>, 'mastodon_instance'));
    if (!instance) return flow.failed(req, res, 'login.mastodon.badInstance');
    const started = await login.start(instance, site(), AbortSignal.timeout(flow.timeoutMs));
    if ('failure' in started) return flow.failed(req, res, started.failure);
    setPending(req, { ...started.pending, authorizeUrl: started.authorizeUrl });
    res.redirect(303, '/auth/mastodon/go');
  });

  // The instance is not among the Content-Security-Policy's form-action origins (it is anyone's choice), and browsers
  // apply form-action to a form's redirects: a page of ours that is not a form's answer takes the visitor there.
  router.get('/auth/mastodon/go', guard, (req, res) => {
    const pending = pendingOf(req);
    if (!pending?.authorizeUrl) return res.redirect(303, `${req.session.returnTo ?? '/'}#respond`);
    const { authorizeUrl } = pending;
    // Once: the Back button from the instance comes back to the post, not to the instance again.
    setPending(req, { ...pending, authorizeUrl: undefined });
    res.set({ 'Cache-Control': 'no-store', Refresh: `0; url=${authorizeUrl}` });
    res.render('mastodon-go', { authorizeUrl, instance: new URL(authorizeUrl).host, meta: { title: (res.locals as ViewHelpers).t('login.mastodon.going.title'), noindex: true } });
  });

  router.get('/auth/mastodon/callback', guard, async (req, res, next) => {
    const pending = pendingOf(req);
    if (!pending) return flow.notStarted(req, res);
    // Single use: a second visit of the same link finds no login in progress.
    setPending(req, undefined);
    const callback = new URL(site().redirectUri);
    callback.search = new URL(req.originalUrl, 'http://x').search;
    const finished = await login.finish(pending, callback, site(), AbortSignal.timeout(flow.timeoutMs));
    if ('failure' in finished) return flow.failed(req, res, finished.failure);
    if ('restart' in finished) {
      if ('failure' in finished.restart) return flow.failed(req, res, finished.restart.failure);
      setPending(req, finished.restart.pending);
      return res.redirect(303, finished.restart.authorizeUrl);
    }
    const commenter = commenters.signIn(finished.profile);
    if (!commenter) return flow.failed(req, res, 'login.failed');
    flow.signedIn(req, res, next, commenter);
  });
}
