import type { User } from '../models.js';
import type { NewUser, UsersRepository } from '../repositories/users.js';
import { isEmail } from './comment-rules.js';
import { hashPassword } from './passwords.js';

export interface NewAccount {
  email: string;
  name: string;
  password: string;
  role: User['role'];
}

export const MIN_PASSWORD_LENGTH = 12;

/** A URL-safe login for /author/<login>/, from the display name. */
export const loginFrom = (name: string) =>
  name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'author';

export interface UsersService {
  create(user: NewUser): number;
  /** Makes an account that can log in; returns the problems instead when the input is not usable. */
  createAccount(account: NewAccount): { id: number } | { errors: string[] };
  findByLogin(login: string): User | undefined;
}

export function createUsersService(users: UsersRepository): UsersService {
  return {
    create: (user) => users.insert(user),
    createAccount({ email, name, password, role }) {
      const errors: string[] = [];
      const cleanEmail = email.trim().toLowerCase();
      if (!isEmail(cleanEmail)) errors.push('--email: expected an email address');
      if (!name.trim()) errors.push('--name: expected a display name');
      if (password.length < MIN_PASSWORD_LENGTH) errors.push(`password: expected at least ${MIN_PASSWORD_LENGTH} characters`);
      if (errors.length) return { errors };
      if (users.findByEmail(cleanEmail)) return { errors: [`an account with ${cleanEmail} exists already`] };
      let login = loginFrom(name);
      for (let n = 2; users.findByLogin(login); n++) login = `${loginFrom(name)}-${n}`;
      const id = users.insert({ login, displayName: name.trim(), email: cleanEmail, passwordHash: hashPassword(password), role });
      return { id };
    },
    findByLogin: (login) => users.findByLogin(login),
  };
}
