import type { RequestHandler } from 'express';

/** Slashes and backslashes: a browser reads "/\host" like "//host", a link to another site. */
const LEADING_SEPARATORS = /^[/\\]+/;

/**
 * WordPress-style URLs end in a slash: /2016/05/12/slug answers 301 to /2016/05/12/slug/. Files (a dot in the
 * last segment) and the login callbacks (registered with providers without the slash) are left alone.
 */
export const trailingSlash: RequestHandler = (req, res, next) => {
  const path = req.path;
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  if ((req.method !== 'GET' && req.method !== 'HEAD') || path.endsWith('/') || path.startsWith('/auth/') || lastSegment.includes('.')) {
    return next();
  }
  // One leading slash only, so the redirect always stays on this site.
  const target = `/${path.replace(LEADING_SEPARATORS, '')}/`;
  const query = req.originalUrl.indexOf('?');
  res.redirect(301, query >= 0 ? target + req.originalUrl.slice(query) : target);
};
