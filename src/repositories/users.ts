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
  findByLogin(login: string): User | undefined;
  findByEmail(email: string): User | undefined;
}

const columns = 'id, login, display_name AS displayName, email, role';

export function createUsersRepository(db: Database): UsersRepository {
  const insert = db.prepare(
    'INSERT INTO users (login, display_name, email, password_hash, role) VALUES (@login, @displayName, @email, @passwordHash, @role)',
  );
  const byLogin = db.prepare(`SELECT ${columns} FROM users WHERE login = ?`);
  const byEmail = db.prepare(`SELECT ${columns} FROM users WHERE email = ?`);
  return {
    insert: (user) => Number(insert.run(user).lastInsertRowid),
    findByLogin: (login) => byLogin.get(login) as User | undefined,
    findByEmail: (email) => byEmail.get(email) as User | undefined,
  };
}
