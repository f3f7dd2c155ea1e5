import type { Message } from '../i18n/index.js';
import type { User } from '../models.js';
import type { NewUser, UsersRepository } from '../repositories/users.js';
import { isEmail } from './comment-rules.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface NewAccount {
  email: string;
  name: string;
  password: string;
  role: User['role'];
}

export type AccountField = 'email' | 'name' | 'password';

export type AccountProblems = Partial<Record<AccountField, Message>>;

export const MIN_PASSWORD_LENGTH = 12;

/** A URL-safe login for /author/<login>/, from the display name. */
export const loginFrom = (name: string) =>
  name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'author';

// Checked when the email is unknown, so an unknown email costs the same scrypt work as a wrong password.
let decoyHash: string | undefined;
const decoy = () => (decoyHash ??= hashPassword('decoy password that matches nothing'));

export interface UsersService {
  create(user: NewUser): number;
  /** Makes an account that can log in; returns the problems per field instead when the input is not usable. */
  createAccount(account: NewAccount): { id: number } | { errors: AccountProblems };
  /** The account for an email and password; null for an unknown email and a wrong password alike. */
  authenticate(email: string, password: string): Promise<User | null>;
  findById(id: number): User | undefined;
  findByLogin(login: string): User | undefined;
  /** Whether anyone can log in yet; the setup page closes once someone can. */
  hasAccount(): boolean;
}

export function createUsersService(users: UsersRepository): UsersService {
  return {
    create: (user) => users.insert(user),
    createAccount({ email, name, password, role }) {
      const errors: AccountProblems = {};
      const cleanEmail = email.trim().toLowerCase();
      if (!isEmail(cleanEmail)) errors.email = 'admin.login.account.emailInvalid';
      if (!name.trim()) errors.name = 'admin.login.account.nameMissing';
      if (password.length < MIN_PASSWORD_LENGTH) errors.password = { key: 'admin.login.account.passwordShort', params: { min: MIN_PASSWORD_LENGTH } };
      if (Object.keys(errors).length) return { errors };
      if (users.findByEmail(cleanEmail)) return { errors: { email: { key: 'admin.login.account.emailTaken', params: { email: cleanEmail } } } };
      let login = loginFrom(name);
      for (let n = 2; users.findByLogin(login); n++) login = `${loginFrom(name)}-${n}`;
      const id = users.insert({ login, displayName: name.trim(), email: cleanEmail, passwordHash: hashPassword(password), role });
      return { id };
    },
    async authenticate(email, password) {
      const cleanEmail = email.trim().toLowerCase().slice(0, 200);
      const hash = users.passwordHashOf(cleanEmail);
      const matches = await verifyPassword(password.slice(0, 1000), hash ?? decoy());
      return hash && matches ? (users.findByEmail(cleanEmail) ?? null) : null;
    },
    findById: (id) => users.findById(id),
    findByLogin: (login) => users.findByLogin(login),
    hasAccount: () => users.countAccounts() > 0,
  };
}
