import type { Message } from '../i18n/index.js';
import type { User } from '../models.js';
import type { NewUser, UsersRepository } from '../repositories/users.js';
import { isEmail } from './comment-rules.js';
import { hashPassword, hashPasswordAsync, needsRehash, verifyPassword } from './passwords.js';
import { NO_CHANGES, type SiteChanges } from './site-changes.js';

export interface NewAccount {
  email: string;
  name: string;
  password: string;
  /** 'administrator' or 'author'; anything else is refused. */
  role: string;
}

export type AccountField = 'email' | 'name' | 'password' | 'role';

export type AccountProblems = Partial<Record<AccountField, Message>>;

export interface ProfileChange {
  name: string;
  email: string;
  /** Needed to change the email or the password. */
  currentPassword: string;
  /** Empty keeps the password. */
  newPassword: string;
  repeatPassword: string;
}

export type ProfileProblems = Partial<Record<keyof ProfileChange, Message>>;

export const MIN_PASSWORD_LENGTH = 12;
/** Longer input is cut here at login, so no longer password could ever be typed back. */
export const MAX_PASSWORD_LENGTH = 1000;
const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 254;

export const ROLES: readonly User['role'][] = ['administrator', 'author'];
export const isRole = (role: string): role is User['role'] => (ROLES as readonly string[]).includes(role);

/** A URL-safe login for /author/<login>/, from the display name. */
export const loginFrom = (name: string) =>
  name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'author';

// Checked when the email is unknown, so an unknown email costs the same scrypt work as a wrong password.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPasswordAsync('decoy password that matches nothing'));

const cleanEmail = (email: string) => email.trim().toLowerCase();

function nameProblem(name: string): Message | undefined {
  if (!name.trim()) return 'admin.login.account.nameMissing';
  if (name.trim().length > MAX_NAME_LENGTH) return { key: 'admin.users.account.nameLong', params: { max: MAX_NAME_LENGTH } };
}

const emailProblem = (email: string): Message | undefined =>
  email.length > MAX_EMAIL_LENGTH || !isEmail(email) ? 'admin.login.account.emailInvalid' : undefined;

/**
 * What is wrong with a new password, if anything. Spaces at either end do not count toward its length (WordPress
 * trims them): a password of spaces alone would be a blank one. The password is kept as typed.
 */
export function passwordProblem(password: string): Message | undefined {
  const counted = password.trim().length;
  if (counted === 0 && password.length > 0) return 'admin.login.account.passwordBlank';
  if (counted < MIN_PASSWORD_LENGTH) return { key: 'admin.login.account.passwordShort', params: { min: MIN_PASSWORD_LENGTH } };
  if (password.length > MAX_PASSWORD_LENGTH) return { key: 'admin.users.account.passwordLong', params: { max: MAX_PASSWORD_LENGTH } };
}

const emailTaken = (email: string): Message => ({ key: 'admin.login.account.emailTaken', params: { email } });

const withoutGaps = <T extends Record<string, Message | undefined>>(problems: T) =>
  Object.fromEntries(Object.entries(problems).filter(([, problem]) => problem)) as { [K in keyof T]?: Message };

export interface UsersService {
  create(user: NewUser): number;
  /** Makes an account that can log in (hashing in line: the setup page and the shell); the problems per field otherwise. */
  createAccount(account: NewAccount): { id: number } | { errors: AccountProblems };
  /** The same as createAccount, hashing off the event loop: for the admin's Users screen. */
  addAccount(account: NewAccount): Promise<{ id: number } | { errors: AccountProblems }>;
  /** The account for an email and password; null for an unknown email and a wrong password alike. Upgrades an old hash. */
  authenticate(email: string, password: string): Promise<User | null>;
  /** Saves a user's own name, email and password; says whether the password changed, so other sessions can end. */
  updateProfile(id: number, change: ProfileChange): Promise<{ passwordChanged: boolean } | { errors: ProfileProblems } | null>;
  /** Sets the password of the account with this email (the shell's user:password); null for an unknown email. */
  setPassword(email: string, password: string): Promise<{ user: User } | { errors: { password: Message } } | null>;
  findById(id: number): User | undefined;
  findByLogin(login: string): User | undefined;
  /** Whether anyone can log in yet; the setup page closes once someone can. */
  hasAccount(): boolean;
}

export function createUsersService(users: UsersRepository, changes: SiteChanges = NO_CHANGES): UsersService {
  function accountProblems({ email, name, password, role }: NewAccount): AccountProblems {
    return withoutGaps({
      email: emailProblem(cleanEmail(email)),
      name: nameProblem(name),
      password: passwordProblem(password),
      role: isRole(role) ? undefined : 'admin.users.roleInvalid',
    });
  }

  /** The email is checked here, right before writing: another request may have taken it while the hash was computed. */
  function insertAccount(account: NewAccount, passwordHash: string): { id: number } | { errors: AccountProblems } {
    const email = cleanEmail(account.email);
    if (users.findByEmail(email)) return { errors: { email: emailTaken(email) } };
    let login = loginFrom(account.name);
    for (let n = 2; users.findByLogin(login); n++) login = `${loginFrom(account.name)}-${n}`;
    return { id: users.insert({ login, displayName: account.name.trim(), email, passwordHash, role: account.role as User['role'] }) };
  }

  const emailTakenBy = (email: string, id: number) => {
    const owner = users.findByEmail(email);
    return owner && owner.id !== id ? emailTaken(email) : undefined;
  };

  return {
    create: (user) => users.insert(user),
    createAccount(account) {
      const errors = accountProblems(account);
      return Object.keys(errors).length ? { errors } : insertAccount(account, hashPassword(account.password));
    },
    async addAccount(account) {
      const errors = accountProblems(account);
      return Object.keys(errors).length ? { errors } : insertAccount(account, await hashPasswordAsync(account.password));
    },
    async authenticate(email, password) {
      const address = cleanEmail(email).slice(0, 200);
      const typed = password.slice(0, MAX_PASSWORD_LENGTH);
      const hash = users.passwordHashOf(address);
      const matches = await verifyPassword(typed, hash ?? (await decoy()));
      const user = hash && matches ? users.findByEmail(address) : undefined;
      if (!user || !needsRehash(hash!)) return user ?? null;
      const upgraded = await hashPasswordAsync(typed);
      // Unless the password was changed meanwhile, the next login checks it at today's cost.
      if (users.passwordHashById(user.id) === hash) users.setPasswordHash(user.id, upgraded);
      return user;
    },
    async updateProfile(id, change) {
      const user = users.findById(id);
      const stored = users.passwordHashById(id);
      if (!user) return null;
      const email = cleanEmail(change.email);
      const newPassword = change.newPassword !== '';
      const needsCurrent = newPassword || email !== user.email;
      const errors: ProfileProblems = withoutGaps({
        name: nameProblem(change.name),
        email: emailProblem(email) ?? emailTakenBy(email, id),
        newPassword: newPassword ? passwordProblem(change.newPassword) : undefined,
        repeatPassword: newPassword && change.repeatPassword !== change.newPassword ? 'admin.profile.repeatMismatch' : undefined,
      });
      if (needsCurrent && !change.currentPassword) errors.currentPassword = 'admin.profile.currentMissing';
      else if (needsCurrent && !(stored && (await verifyPassword(change.currentPassword.slice(0, MAX_PASSWORD_LENGTH), stored)))) {
        errors.currentPassword = 'admin.profile.currentWrong';
      }
      if (Object.keys(errors).length) return { errors };
      const hash = newPassword ? await hashPasswordAsync(change.newPassword) : undefined;
      const taken = emailTakenBy(email, id);
      if (taken) return { errors: { email: taken } };
      users.updateProfile(id, { displayName: change.name.trim(), email });
      if (change.name.trim() !== user.displayName) changes.user(id);
      if (hash) users.setPasswordHash(id, hash);
      return { passwordChanged: hash !== undefined };
    },
    async setPassword(email, password) {
      const user = users.findByEmail(cleanEmail(email));
      if (!user) return null;
      const problem = passwordProblem(password);
      if (problem) return { errors: { password: problem } };
      users.setPasswordHash(user.id, await hashPasswordAsync(password));
      return { user };
    },
    findById: (id) => users.findById(id),
    findByLogin: (login) => users.findByLogin(login),
    hasAccount: () => users.countAccounts() > 0,
  };
}
