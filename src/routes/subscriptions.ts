import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { badRequest } from '../http/errors.js';
import type { MessageKey } from '../i18n/index.js';
import { field, parseId } from '../http/form.js';
import type { ViewHelpers } from '../http/locals.js';
import { sameOriginOnly } from '../http/same-origin.js';
import { SUBSCRIPTION_PATHS, type SubscriptionsService } from '../services/subscriptions.js';

export interface SubscriptionsRouteDeps {
  subscriptions: SubscriptionsService;
  publicUrl: string;
}

/** The route's token; anything odd reads as empty, which no subscription has. */
const token = (req: Request) => field(req.params, 'token');

/** Small forms only: a button, perhaps an id. */
const form = express.urlencoded({ extended: false, limit: '1kb', parameterLimit: 5 });
/** RFC 8058 lets the mail provider send its one field as multipart/form-data too; no files, nothing large. */
const multipart = multer({ limits: { fields: 5, fieldSize: 1024, files: 0, parts: 5 } }).none();
/** Either body; a multipart body that cannot be read is the sender's mistake (400), never ours. */
const oneClickBody: RequestHandler = (req, res, next) =>
  form(req, res, (err?: unknown) => (err ? next(err) : multipart(req, res, (bad?: unknown) => next(bad ? badRequest('Unreadable form') : undefined))));

/**
 * The pages an email's links open: confirm, manage, unsubscribe. Each is reached by the unguessable token in its
 * address (no login, no cookie), so each answer is for its holder only: never cached, never indexed. A GET only
 * shows and asks; every change is a POST, since mail scanners open links.
 */
export function subscriptionsRouter({ subscriptions, publicUrl }: SubscriptionsRouteDeps): Router {
  const router = Router();
  const sameOrigin = sameOriginOnly(publicUrl);

  const page = (res: Response, view: string, title: MessageKey, data: object, status = 200) => {
    const { t } = res.locals as ViewHelpers;
    res.status(status).set('Cache-Control', 'private, no-store');
    res.render(`subscriptions/${view}`, { ...data, meta: { title: t(title), noindex: true } });
  };
  const invalid = (res: Response) => page(res, 'done', 'subscriptions.invalid.title', { intro: 'subscriptions.invalid.body', items: [], manageUrl: null }, 404);

  router.get('/subscriptions/confirm/:token', (req, res) => {
    const what = subscriptions.awaiting(token(req));
    if (!what) return invalid(res);
    page(res, 'confirm', 'subscriptions.confirm.title', { what, action: SUBSCRIPTION_PATHS.confirm(token(req)) });
  });
  router.post('/subscriptions/confirm/:token', sameOrigin, (req, res) => {
    const done = subscriptions.confirm(token(req));
    if (!done) return invalid(res);
    page(res, 'done', 'subscriptions.confirmed.title', { intro: 'subscriptions.confirmed.intro', items: done.receives, manageUrl: SUBSCRIPTION_PATHS.manage(done.manageToken) });
  });

  const manage = (res: Response, manageToken: string, notice?: 'subscriptions.manage.done') => {
    const found = subscriptions.manage(manageToken);
    if (!found) return invalid(res);
    page(res, 'manage', 'subscriptions.manage.title', { ...found, notice, action: SUBSCRIPTION_PATHS.manage(manageToken) });
  };
  router.get('/subscriptions/manage/:token', (req, res) => manage(res, token(req)));
  router.post('/subscriptions/manage/:token/unsubscribe', sameOrigin, form, (req, res) => {
    const id = parseId(field(req.body, 'id'));
    if (id === null) throw badRequest('Which subscription to end is missing');
    if (!subscriptions.manage(token(req))) return invalid(res);
    manage(res, token(req), subscriptions.unsubscribe(token(req), id) ? 'subscriptions.manage.done' : undefined);
  });
  router.post('/subscriptions/manage/:token/everything', sameOrigin, (req, res) => {
    if (!subscriptions.unsubscribeAll(token(req))) return invalid(res);
    page(res, 'done', 'subscriptions.manage.title', { intro: 'subscriptions.manage.doneEverything', items: [], manageUrl: null });
  });

  router.get('/subscriptions/unsubscribe/:token', (req, res) => {
    const target = subscriptions.oneClickTarget(token(req));
    if (!target) return invalid(res);
    page(res, 'unsubscribe', 'subscriptions.unsubscribe.title', { what: target.what, action: SUBSCRIPTION_PATHS.unsubscribe(token(req)), manageUrl: SUBSCRIPTION_PATHS.manage(target.manageToken) });
  });
  // RFC 8058: a mail client POSTs here with no cookie and from no page of ours, so no same-origin or CSRF check:
  // the unguessable token is the authority. The page's own button sends the same body.
  router.post('/subscriptions/unsubscribe/:token', oneClickBody, (req, res) => {
    if (field(req.body, 'List-Unsubscribe') !== 'One-Click') throw badRequest('Expected List-Unsubscribe=One-Click');
    const ended = subscriptions.oneClick(token(req));
    if (!ended) return invalid(res);
    const { t } = res.locals as ViewHelpers;
    page(res, 'done', 'subscriptions.unsubscribe.title', { intro: null, introText: t('subscriptions.unsubscribe.done', { what: ended.what }), items: [], manageUrl: SUBSCRIPTION_PATHS.manage(ended.manageToken) });
  });
  return router;
}
