import type { Request, RequestHandler } from 'express';
import { currentUser } from '../auth/identity.js';
import session from 'express-session';

export const SESSION_COOKIE = 'blog.sid';

/** A commenter's login lasts a month; the blog's own accounts end after two weeks without a visit. */
const SESSION_MS = 30 * 86400_000;
export const ADMIN_IDLE_MS = 14 * 86400_000;

/** Gives a logged-in author or administrator their idle timeout, counted again from this request. */
export function keepAdminSession(req: Request) {
  if (req.session && currentUser(req)) req.session.cookie.maxAge = ADMIN_IDLE_MS;
}

/** Every request of an admin session moves its end two weeks on; left alone, it ends. */
export const adminIdleExpiry: RequestHandler = (req, _res, next) => {
  keepAdminSession(req);
  next();
};

/**
 * Sessions only where they are needed: requests that already carry the session cookie, and the login
 * routes that start one (the providers' and the admin's). An anonymous reader's page costs no session lookup and no new cookie.
 */
export function sessionsWhereNeeded(store: session.Store, secret: string, secure: boolean): RequestHandler {
  const sessions = session({
    name: SESSION_COOKIE,
    store,
    secret,
    resave: false,
    saveUninitialized: false,
    // The cookie's end moves with the session's, so an active admin is not logged out two weeks after logging in.
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_MS },
  });
  return (req, res, next) => {
    const needed = req.path.startsWith('/auth/') || req.path.startsWith('/admin/') || (req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`);
    return needed ? sessions(req, res, next) : next();
  };
}
