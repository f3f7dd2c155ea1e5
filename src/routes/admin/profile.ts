import { Router, type Request, type Response } from 'express';
import { currentUser, sessionKeyOf } from '../../auth/identity.js';
import { notFound } from '../../http/errors.js';
import { field, queryParam } from '../../http/form.js';
import type { MessageKey } from '../../i18n/index.js';
import type { User } from '../../models.js';
import { MIN_PASSWORD_LENGTH, type ProfileProblems } from '../../services/users.js';
import type { AdminDeps } from './index.js';
import { keepAdminSession } from '../../http/sessions.js';

const PATH = '/admin/profile/';

const NOTICES: Record<string, MessageKey> = { profile: 'admin.profile.saved', password: 'admin.profile.passwordChanged' };

/** Logs the account in again on a fresh session id (passport regenerates it), so the old id is worth nothing. */
const renewSession = (req: Request, user: User) =>
  new Promise<void>((resolve, reject) => req.logIn(user, (err) => (err ? reject(err) : resolve(keepAdminSession(req)))));

/** /admin/profile/: anyone logged in changes their own name, email and password. */
export function profileRouter({ services: { users }, endOtherSessions }: AdminDeps): Router {
  const router = Router();

  // Passwords are never sent back: the form shows only the name and email as typed.
  const render = (res: Response, status: number, values: { name: string; email: string }, errors: ProfileProblems, notice?: MessageKey) =>
    res.status(status).render('admin/profile', {
      values,
      errors,
      notice,
      problem: Object.keys(errors).length > 0 ? ('admin.profile.notSaved' satisfies MessageKey) : undefined,
      minPassword: MIN_PASSWORD_LENGTH,
    });

  router.get('/profile/', (req, res) => {
    const user = currentUser(req)!;
    render(res, 200, { name: user.displayName, email: user.email ?? '' }, {}, NOTICES[queryParam(req, 'saved')]);
  });

  router.post('/profile/', async (req, res) => {
    const user = currentUser(req)!;
    const values = { name: field(req.body, 'name'), email: field(req.body, 'email') };
    const result = await users.updateProfile(user.id, {
      ...values,
      currentPassword: field(req.body, 'currentPassword'),
      newPassword: field(req.body, 'newPassword'),
      repeatPassword: field(req.body, 'repeatPassword'),
    });
    if (!result) throw notFound();
    if ('errors' in result) return render(res, 422, values, result.errors);
    if (!result.passwordChanged) return res.redirect(303, `${PATH}?saved=profile`);
    // Whoever else knew the old password is logged out everywhere; this browser goes on, on a new session id.
    const renamed = users.findById(user.id);
    if (!renamed) throw notFound();
    await renewSession(req, renamed);
    endOtherSessions(sessionKeyOf(user), req.sessionID);
    res.redirect(303, `${PATH}?saved=password`);
  });

  return router;
}
