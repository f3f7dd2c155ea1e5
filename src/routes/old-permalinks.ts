import type { RequestHandler } from 'express';

/**
 * Before a 404: a path that was once a published post's permalink (its slug or date changed since)
 * answers 301 to where the post lives now, so old links and search results keep working.
 */
export const oldPermalinks = (currentPathFor: (path: string) => string | null): RequestHandler => (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const target = currentPathFor(req.path);
  if (target && target !== req.path) return res.redirect(301, target);
  next();
};
