import express, { Router, type Request, type Response } from 'express';
import type { AppPassport } from '../../auth/passport.js';
import { currentUser } from '../../auth/identity.js';
import { requireSessionCsrf } from '../../http/csrf.js';
import { keepAdminSession } from '../../http/sessions.js';
import { field, queryParam } from '../../http/form.js';
import { limitPerAddress, loginThrottle, refuse, type Limiters } from '../../http/rate-limit.js';
import { sameOriginOnly } from '../../http/same-origin.js';
import type { Message, MessageKey } from '../../i18n/index.js';
import type { User } from '../../models.js';
import type { UsersService } from '../../services/users.js';
import { sameSecret } from '../../constant-time.js';

export interface LoginRouteDeps {
  passport: AppPassport;
  users: UsersService;
  publicUrl: string;
  secret: string;
  /** Printed at start-up while no one can log in; the setup page asks for it. */
  setupToken?: string;
  limiters: Limiters;
}

/** Only a path inside the admin is a place to go after logging in, never another site. */
const safeNext = (next: string) => (/^\/admin\/[^\\]*$/.test(next) && !next.startsWith('//') ? next : '/admin/');

export function loginRouter({ passport, users, publicUrl, secret, setupToken, limiters }: LoginRouteDeps): Router {
  const router = Router();
  const sameOrigin = sameOriginOnly(publicUrl);
  // Before login, bodies are small forms; the big editor bodies are parsed only for logged-in users.
  const smallForm = express.urlencoded({ extended: false, limit: '20kb', parameterLimit: 20 });

  const renderLogin = (res: Response, status: number, values: { email: string; next: string }, error?: MessageKey) =>
    res.status(status).render('admin/login', { values, error, loggedOut: false, passwordSet: false });

  /** Logs the account in on a fresh session id, so a session fixed before login is worth nothing. */
  const logIn = (req: Request, res: Response, user: User, next: string, { welcome = false } = {}) =>
    new Promise<void>((resolve, reject) =>
      req.logIn(user, (err) => {
        if (err) return reject(err);
        keepAdminSession(req);
        // Set on the new session: the dashboard greets the blog's first administrator until they dismiss it.
        if (welcome) req.session.welcome = true;
        resolve(res.redirect(303, safeNext(next)));
      }));

  router.get('/login', (req, res) => {
    if (currentUser(req)) return res.redirect(303, safeNext(queryParam(req, 'next')));
    res.render('admin/login', { values: { email: '', next: queryParam(req, 'next') }, error: undefined, loggedOut: 'logged-out' in req.query, passwordSet: 'password-set' in req.query });
  });

  const throttle = loginThrottle(limiters);
  const checkPassword = (req: Request, res: Response) =>
    new Promise<User | false>((resolve, reject) =>
      passport.authenticate('local', { session: false }, (err: unknown, user: User | false) => (err ? reject(err) : resolve(user)))(req, res, reject));

  router.post('/login', sameOrigin, smallForm, async (req, res) => {
    const values = { email: field(req.body, 'email'), next: field(req.body, 'next') };
    const wait = await throttle.attempt(req, values.email);
    if (wait > 0) {
      refuse(req, res, 'login', wait);
      return renderLogin(res, 429, values, 'admin.login.tooMany');
    }
    // Only the form's own two fields count: passport-local would also take them from the query string (which
    // the limits do not see, and which ends up in logs) or from a repeated field.
    const user = !values.email || !field(req.body, 'password') || 'email' in req.query || 'password' in req.query ? false : await checkPassword(req, res);
    if (!user) {
      req.log.info({ ip: req.ip }, 'admin login failed');
      // One answer for an unknown email and a wrong password: nothing tells which accounts exist.
      return renderLogin(res, 401, values, 'admin.login.incorrect');
    }
    await throttle.succeeded(req, values.email);
    await logIn(req, res, user, values.next);
  });

  router.post('/logout', smallForm, requireSessionCsrf(secret), (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.redirect(303, '/admin/login/?logged-out')));
  });

  const setupOpen = () => setupToken !== undefined && !users.hasAccount();
  const renderSetup = (res: Response, status: number, values: Record<string, string>, errors: Record<string, Message>) =>
    res.status(status).render('admin/setup', { values, errors, open: setupOpen() });

  router.get('/setup', (_req, res) => renderSetup(res, setupOpen() ? 200 : 403, { name: '', email: '' }, {}));

  router.post('/setup', sameOrigin, limitPerAddress(limiters, { name: 'setup', points: 10, windowMs: 15 * 60_000 }), smallForm, async (req, res) => {
    if (!setupOpen()) {
      req.log.warn({ ip: req.ip }, 'setup attempt while setup is closed');
      return renderSetup(res, 403, { name: '', email: '' }, {});
    }
    const values = { name: field(req.body, 'name'), email: field(req.body, 'email') };
    if (!sameSecret(field(req.body, 'token'), setupToken!)) {
      req.log.warn({ ip: req.ip }, 'setup attempt with a wrong token');
      return renderSetup(res, 422, values, { token: 'admin.login.setup.wrongToken' });
    }
    const created = await users.addAccount({ ...values, password: field(req.body, 'password'), role: 'administrator' });
    if ('errors' in created) return renderSetup(res, 422, values, created.errors);
    req.log.warn({ ip: req.ip, userId: created.id }, 'administrator account created through the setup page');
    await logIn(req, res, users.findById(created.id)!, '/admin/', { welcome: true });
  });

  return router;
}
