import type { RequestHandler } from 'express';
import onHeaders from 'on-headers';
import { SESSION_COOKIE } from './sessions.js';

/** The cookies a page is personalized by: a login session, the remembered guest, the guest's held comments. */
const PERSONAL_COOKIES = [SESSION_COOKIE, 'comment_author', 'comment_pending'];

const PRIVATE = 'private, no-store';
/** Anonymous pages may be kept by a shared cache, which asks again each time (the page cache will tune this). */
const ANONYMOUS_PAGE = 'public, max-age=0, must-revalidate';

const carriesPersonalCookie = (cookieHeader: string | undefined) =>
  !!cookieHeader && PERSONAL_COOKIES.some((name) => cookieHeader.includes(`${name}=`));

/**
 * Every response says how it may be cached. A response for a visitor who carries a personal cookie, one that
 * sets a cookie, and the answer to any form post are `private, no-store`, so no shared cache hands one
 * visitor's page (their email, their held comment, their form token) to the next. Handlers that know their
 * answer is the same for everyone (static files, uploads, feeds) set their own policy and keep it.
 */
export const cachePolicy: RequestHandler = (req, res, next) => {
  const personal = carriesPersonalCookie(req.headers.cookie) || (req.method !== 'GET' && req.method !== 'HEAD');
  onHeaders(res, () => {
    const setsCookie = res.getHeader('Set-Cookie') !== undefined;
    const stated = res.getHeader('Cache-Control') !== undefined;
    if (setsCookie || (personal && !stated)) res.setHeader('Cache-Control', PRIVATE);
    else if (!stated) res.setHeader('Cache-Control', ANONYMOUS_PAGE);
    // A shared cache must not give a page kept for one cookie-less visitor to a visitor with cookies.
    if (!stated || setsCookie) res.vary('Cookie');
  });
  next();
};
