import cookieParser from 'cookie-parser';
import type { RequestHandler } from 'express';

/** Keeps only string values: anything else came from a cookie the visitor wrote, not from us. */
const stringsOnly = (jar: Record<string, unknown> | undefined) => {
  for (const name of Object.keys(jar ?? {})) if (typeof jar![name] !== 'string') delete jar![name];
};

/**
 * Cookies as plain strings. cookie-parser turns any value starting with `j:` into parsed JSON, so a visitor
 * could hand express-session (and us) an object where a string belongs; we never set JSON cookies.
 */
export function parseCookies(secret: string): RequestHandler {
  const parse = cookieParser(secret);
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      stringsOnly(req.cookies);
      stringsOnly(req.signedCookies);
      next();
    });
}
