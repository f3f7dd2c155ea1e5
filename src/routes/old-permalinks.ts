import type { RequestHandler } from 'express';

/**
 * Before a 404: a path that was once a published post's permalink (its slug or date changed since)
 * answers 301 to where the post lives now, so old links and search results keep working.
 */
export const oldPermalinks = (currentPathFor: (path: string) => string | null): RequestHandler => (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  // Kept as WordPress's link read them (decodeURI: `/東京/`); a browser asks for `/%E6%9D%B1%E4%BA%AC/`.
  const path = readablePath(req.path);
  const target = path === null ? null : currentPathFor(path);
  if (target && target !== req.path && target !== path) return res.redirect(301, target);
  next();
};

/** The path with its percent-encoded characters decoded as an imported link's were; null when it is no valid encoding. */
function readablePath(path: string): string | null {
  try {
    return decodeURI(path);
  } catch {
    return null;
  }
}
