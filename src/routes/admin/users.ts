import { Router, type Request, type Response } from 'express';
import { requireAdministrator } from '../../auth/guards.js';
import { currentUser, sessionKeyOf } from '../../auth/identity.js';
import { notFound } from '../../http/errors.js';
import { field, idParam, parseId, queryParam } from '../../http/form.js';
import type { Message, MessageKey } from '../../i18n/index.js';
import type { User } from '../../models.js';
import type { Refused } from '../../services/user-admin.js';
import { MIN_PASSWORD_LENGTH, ROLES, type AccountProblems } from '../../services/users.js';
import type { AdminDeps } from './index.js';

const LIST = '/admin/users/';

/** Status and message for each refused change. */
const REFUSALS: Record<Refused['refusal'], (user: User) => [number, Message]> = {
  self: () => [403, 'admin.users.removeSelf'],
  'last-administrator': (user) => [409, { key: 'admin.users.lastAdministrator', params: { name: user.displayName } }],
  'no-heir': (user) => [422, { key: 'admin.users.heirMissing', params: { name: user.displayName } }],
  'invalid-role': () => [422, 'admin.users.roleInvalid'],
};

/** /admin/users/: the administrator's list of accounts, with adding, role changes and removal. */
export function usersRouter({ services: { users, userAdmin }, endOtherSessions }: AdminDeps): Router {
  const router = Router();
  router.use('/users', requireAdministrator);

  const nameOf = (raw: string) => {
    const id = parseId(raw);
    return id === null ? undefined : users.findById(id)?.displayName;
  };

  /** The notice a redirect after a change asks for, naming the user it is about (gone ids show nothing). */
  function noticeFrom(req: Request): Message | undefined {
    const said: [string, MessageKey, string][] = [['added', 'admin.users.added', 'name'], ['role', 'admin.users.roleChanged', 'name'], ['removed', 'admin.users.removed', 'heir']];
    for (const [param, key, placeholder] of said) {
      const name = nameOf(queryParam(req, param));
      if (name) return { key, params: { [placeholder]: name } };
    }
  }

  const showList = (res: Response, status = 200, notice?: Message, problem?: Message) =>
    res.status(status).render('admin/users', { users: userAdmin.list(), roles: ROLES, notice, problem });

  const refuse = (res: Response, refused: Refused) => {
    const [status, problem] = REFUSALS[refused.refusal](refused.user);
    showList(res, status, undefined, problem);
  };

  router.get('/users/', (req, res) => showList(res, 200, noticeFrom(req)));

  const showNew = (res: Response, status: number, values: Record<string, string>, errors: AccountProblems) =>
    res.status(status).render('admin/users-new', {
      values, errors, roles: ROLES, minPassword: MIN_PASSWORD_LENGTH,
      problem: Object.keys(errors).length > 0 ? ('admin.users.new.notSaved' satisfies MessageKey) : undefined,
    });

  router.get('/users/new/', (_req, res) => showNew(res, 200, { name: '', email: '', role: 'author' }, {}));

  router.post('/users/new/', async (req, res) => {
    const values = { name: field(req.body, 'name'), email: field(req.body, 'email'), role: field(req.body, 'role') };
    const result = await users.addAccount({ ...values, password: field(req.body, 'password') });
    if ('errors' in result) return showNew(res, 422, values, result.errors);
    res.redirect(303, `${LIST}?added=${result.id}`);
  });

  router.post('/users/:id/role/', (req, res) => {
    const result = userAdmin.changeRole(idParam(req), field(req.body, 'role'));
    if (!result) throw notFound();
    if ('refusal' in result) return refuse(res, result);
    // An administrator who made themselves an author may no longer see this list.
    const self = result.user.id === currentUser(req)!.id && result.user.role !== 'administrator';
    res.redirect(303, self ? '/admin/' : `${LIST}?role=${result.user.id}`);
  });

  const showRemoval = (req: Request, res: Response, status: number, problem?: Message) => {
    const removal = userAdmin.removal(currentUser(req)!, idParam(req));
    if (!removal) throw notFound();
    if ('refusal' in removal) return refuse(res, removal);
    res.status(status).render('admin/users-delete', { ...removal, chosen: currentUser(req)!.id, problem });
  };

  router.get('/users/:id/delete/', (req, res) => showRemoval(req, res, 200));

  router.post('/users/:id/delete/', (req, res) => {
    const result = userAdmin.remove(currentUser(req)!, idParam(req), parseId(field(req.body, 'heir')));
    if (!result) throw notFound();
    if ('refusal' in result && result.refusal === 'no-heir') {
      const [status, problem] = REFUSALS['no-heir'](result.user);
      return showRemoval(req, res, status, problem);
    }
    if ('refusal' in result) return refuse(res, result);
    endOtherSessions(sessionKeyOf(result.removed), '');
    res.redirect(303, `${LIST}?removed=${result.heir.id}`);
  });

  return router;
}
