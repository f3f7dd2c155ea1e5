import type { RequestHandler } from 'express';
import session from 'express-session';

export const SESSION_COOKIE = 'blog.sid';

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
    cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: 30 * 86400_000 },
  });
  return (req, res, next) => {
    const needed = req.path.startsWith('/auth/') || req.path.startsWith('/admin/') || (req.headers.cookie ?? '').includes(`${SESSION_COOKIE}=`);
    return needed ? sessions(req, res, next) : next();
  };
}
