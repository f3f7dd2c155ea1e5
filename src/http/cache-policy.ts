import type { RequestHandler } from 'express';
import onHeaders from 'on-headers';
import { POST_PASSWORD_COOKIE } from './post-password-cookie.js';
import { SESSION_COOKIE } from './sessions.js';

/**
 * The cookies a page is personalized by: a login session, the remembered guest, the guest's held comments, the
 * post password the reader typed (a protected post's body is theirs only).
 */
const PERSONAL_COOKIES = [SESSION_COOKIE, 'comment_author', 'comment_pending', POST_PASSWORD_COOKIE];

const PRIVATE = 'private, no-store';
/**
 * Anonymous pages: browsers ask again each time (max-age=0, answered 304 while the page is unchanged); a shared
 * cache such as nginx may answer for 10 s and, while it fetches a fresh copy, for 60 s more with the old one.
 */
export const ANONYMOUS_PAGE = 'public, max-age=0, s-maxage=10, stale-while-revalidate=60';

/** Whether a request carries a cookie its page is personalized by (the page cache lets such requests through). */
export const carriesPersonalCookie = (cookieHeader: string | undefined) =>
  !!cookieHeader && PERSONAL_COOKIES.some((name) => cookieHeader.includes(`${name}=`));

/**
 * Every response says how it may be cached. A response for a visitor who carries a personal cookie, one that
 * sets a cookie, and the answer to any form post are `private, no-store`, so no shared cache hands one
 * visitor's page (their email, their held comment, their form token) to the next. Handlers that know their
 * answer is the same for everyone (static files, uploads, feeds) set their own policy and keep it. An anonymous
 * page also says when it was rendered (Last-Modified; its strong ETag comes from Express, see app.ts).
 */
export const cachePolicy: RequestHandler = (req, res, next) => {
  const personal = carriesPersonalCookie(req.headers.cookie) || (req.method !== 'GET' && req.method !== 'HEAD');
  onHeaders(res, () => {
    const setsCookie = res.getHeader('Set-Cookie') !== undefined;
    const stated = res.getHeader('Cache-Control') !== undefined;
    if (setsCookie || (personal && !stated)) res.setHeader('Cache-Control', PRIVATE);
    else if (!stated) {
      res.setHeader('Cache-Control', ANONYMOUS_PAGE);
      if (res.statusCode === 200 && !res.getHeader('Last-Modified')) res.setHeader('Last-Modified', new Date().toUTCString());
    }
    // A shared cache must not give a page kept for one cookie-less visitor to a visitor with cookies.
    if (!stated || setsCookie) res.vary('Accept-Encoding').vary('Cookie');
  });
  next();
};
