import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { escapeHtml } from '../services/markdown.js';
import { loggableUrl } from './access-log.js';
import { notFound } from './errors.js';

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/** Errors a client caused carry a 4xx status (ours, body-parser's, send's); anything else is our fault. */
function statusOf(err: unknown): number {
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/** Headers HTTP asks for with some refusals (send puts `Content-Range` on a 416). */
function refusalHeaders(err: unknown, status: number): Record<string, string> {
  const headers = (err as { headers?: unknown })?.headers;
  if (status >= 500 || !headers || typeof headers !== 'object') return {};
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => /^(content-range|allow|retry-after)$/i.test(name) && typeof value === 'string'));
}

/**
 * The one error handler: a themed 404 or error page, never a stack trace; only 5xx are logged. An error that
 * happened before the page helpers were set (a static file's 416 or 412) gets them here, so its page renders.
 * If the themed page itself fails, the visitor still gets an escaped plain-text answer.
 */
export function errorHandler(logger: Logger, withLocals: RequestHandler): ErrorRequestHandler {
  const ensureLocals = (req: Parameters<RequestHandler>[0], res: Response) =>
    new Promise<void>((resolve) => (res.locals.site ? resolve() : withLocals(req, res, () => resolve())));

  return async (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = statusOf(err);
    if (status >= 500) logger.error({ err, url: loggableUrl(req.originalUrl) }, 'request failed');
    // Refused forms (a missing or wrong token, a cross-site post) are what an attack looks like.
    else if (status === 403) req.log.warn({ ip: req.ip, reason: (err as Error)?.message }, 'request refused');
    res.status(status).set(refusalHeaders(err, status));
    // An error page is about this request only: never kept by a cache, and nothing of a file's headers stays.
    res.set('Cache-Control', 'no-store').type('html');
    for (const name of ['ETag', 'Last-Modified', 'Accept-Ranges']) res.removeHeader(name);
    await ensureLocals(req, res);
    const view = status === 404 ? 'errors/404' : 'errors/error';
    res.render(view, { status, meta: { title: '', noindex: true } }, (renderErr, html) => {
      if (renderErr) {
        logger.error({ err: renderErr }, 'error page failed to render');
        res.type('text/plain').send(escapeHtml(`${status} ${status === 404 ? 'Not Found' : 'Error'}`));
        return;
      }
      res.send(html);
    });
  };
}
