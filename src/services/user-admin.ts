import type { User } from '../models.js';
import type { UserSummary, UsersRepository } from '../repositories/users.js';
import { isRole } from './users.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';

export type { UserSummary };

/** Why a change to a user was refused, and whom it was about. */
export type Refused = { refusal: 'self' | 'last-administrator' | 'no-heir' | 'invalid-role'; user: User };

/** The administrator's Users screen: the list, roles, and removal with the posts handed on. */
export interface UserAdminService {
  list(): UserSummary[];
  /** Gives a user another role; the last administrator keeps theirs. Null when there is no such user. */
  changeRole(id: number, role: string): { user: User } | Refused | null;
  /** What removing a user would move, and to whom it could go. Null when there is no such user. */
  removal(actor: User, id: number): { user: UserSummary; heirs: User[] } | Refused | null;
  /** Removes a user, their posts and uploads given to `heirId`; no one removes themselves. Null when there is no such user. */
  remove(actor: User, id: number, heirId: number | null): { removed: User; heir: User; posts: number } | Refused | null;
}

export function createUserAdminService(users: UsersRepository, changes: SiteChanges = NO_CHANGES): UserAdminService {
  const lastAdministrator = (user: User) => user.role === 'administrator' && users.countAdministrators() <= 1;

  return {
    list: () => users.list(),
    changeRole(id, role) {
      const user = users.findById(id);
      if (!user) return null;
      if (!isRole(role)) return { refusal: 'invalid-role', user };
      if (lastAdministrator(user) && role !== 'administrator') return { refusal: 'last-administrator', user };
      users.setRole(id, role);
      return { user: { ...user, role } };
    },
    removal(actor, id) {
      const everyone = users.list();
      const user = everyone.find((u) => u.id === id);
      if (!user) return null;
      if (user.id === actor.id) return { refusal: 'self', user };
      return { user, heirs: everyone.filter((u) => u.id !== id) };
    },
    remove(actor, id, heirId) {
      const user = users.findById(id);
      if (!user) return null;
      if (user.id === actor.id) return { refusal: 'self', user };
      if (lastAdministrator(user)) return { refusal: 'last-administrator', user };
      const heir = heirId === null || heirId === id ? undefined : users.findById(heirId);
      if (!heir) return { refusal: 'no-heir', user };
      const posts = users.removeAndReassign(id, heir.id);
      // Their posts now show the heir's name.
      changes.user(id);
      return { removed: user, heir, posts };
    },
  };
}
