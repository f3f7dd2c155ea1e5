import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { escapeHtml } from '../services/markdown.js';
import { notFound } from './errors.js';

export const notFoundHandler: RequestHandler = () => {
  throw notFound();
};

/** Errors a client caused carry a 4xx status (ours, or body-parser's); anything else is our fault. */
function statusOf(err: unknown): number {
  const status = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/**
 * The one error handler: a themed 404 or error page, never a stack trace; only 5xx are logged.
 * If the themed page itself fails, the visitor still gets an escaped plain-text answer.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const status = statusOf(err);
    if (status >= 500) logger.error({ err, url: req.originalUrl }, 'request failed');
    const view = status === 404 ? 'errors/404' : 'errors/error';
    res.status(status);
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
