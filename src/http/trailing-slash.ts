import type { RequestHandler } from 'express';

/**
 * WordPress-style URLs end in a slash: /2016/05/12/slug answers 301 to /2016/05/12/slug/. Files (a dot in the
 * last segment) and the login callbacks (registered with providers without the slash) are left alone.
 */
export const trailingSlash: RequestHandler = (req, res, next) => {
  if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.endsWith('/') || req.path.startsWith('/auth/') || /\.[^/]*$/.test(req.path)) {
    return next();
  }
  // Collapse leading slashes so //evil.example never becomes a protocol-relative redirect.
  const target = `/${req.path.replace(/^\/+/, '')}/`;
  const query = req.originalUrl.indexOf('?');
  res.redirect(301, query >= 0 ? target + req.originalUrl.slice(query) : target);
};
