import type { Database } from 'better-sqlite3';
import type { User } from '../models.js';

export interface NewUser {
  login: string;
  displayName: string;
  email: string | null;
  passwordHash: string | null;
  role: User['role'];
}

export interface UsersRepository {
  insert(user: NewUser): number;
  findById(id: number): User | undefined;
  findByLogin(login: string): User | undefined;
  findByEmail(email: string): User | undefined;
  /** The stored password hash of the account with this email; null when it cannot log in. */
  passwordHashOf(email: string): string | null;
  /** How many users can log in (the seed author has no password). */
  countAccounts(): number;
}

const columns = 'id, login, display_name AS displayName, email, role';

export function createUsersRepository(db: Database): UsersRepository {
  const insert = db.prepare(
    'INSERT INTO users (login, display_name, email, password_hash, role) VALUES (@login, @displayName, @email, @passwordHash, @role)',
  );
  const byId = db.prepare(`SELECT ${columns} FROM users WHERE id = ?`);
  const byLogin = db.prepare(`SELECT ${columns} FROM users WHERE login = ?`);
  const byEmail = db.prepare(`SELECT ${columns} FROM users WHERE email = ?`);
  const hashOf = db.prepare('SELECT password_hash FROM users WHERE email = ?').pluck();
  const accounts = db.prepare('SELECT count(*) FROM users WHERE password_hash IS NOT NULL').pluck();
  return {
    insert: (user) => Number(insert.run(user).lastInsertRowid),
    findById: (id) => byId.get(id) as User | undefined,
    findByLogin: (login) => byLogin.get(login) as User | undefined,
    findByEmail: (email) => byEmail.get(email) as User | undefined,
    passwordHashOf: (email) => (hashOf.get(email) as string | null | undefined) ?? null,
    countAccounts: () => accounts.get() as number,
  };
}
