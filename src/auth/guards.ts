import type { RequestHandler } from 'express';
import { forbidden } from '../http/errors.js';
import { currentUser } from './identity.js';

/** Admin pages need the blog's author logged in: a page view goes to the login, anything else is refused. */
export const requireLogin: RequestHandler = (req, res, next) => {
  if (currentUser(req)) return next();
  if (req.method === 'GET' || req.method === 'HEAD') {
    return res.redirect(303, `/admin/login/?next=${encodeURIComponent(req.originalUrl)}`);
  }
  throw forbidden('Log in first');
};

/** Settings and other people's work are the administrator's alone. */
export const requireAdministrator: RequestHandler = (req, _res, next) => {
  if (currentUser(req)?.role === 'administrator') return next();
  throw forbidden('Only an administrator may do this');
};
