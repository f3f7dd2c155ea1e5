import type { Database } from 'better-sqlite3';
import type { User } from '../models.js';

export interface NewUser {
  login: string;
  displayName: string;
  email: string | null;
  passwordHash: string | null;
  role: User['role'];
}

/** A row of the admin's users list. */
export interface UserSummary extends User {
  /** Posts and pages of every status, the trash included: what goes to someone else when the user is removed. */
  postCount: number;
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
  passwordHashById(id: number): string | null;
  setPasswordHash(id: number, hash: string): void;
  updateProfile(id: number, profile: { displayName: string; email: string }): void;
  setRole(id: number, role: User['role']): void;
  countAdministrators(): number;
  list(): UserSummary[];
  /** Gives the user's posts and uploads to another user and deletes the user, all or nothing; returns how many posts moved. */
  removeAndReassign(id: number, heirId: number): number;
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
  const hashById = db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck();
  const setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const setProfile = db.prepare('UPDATE users SET display_name = @displayName, email = @email WHERE id = @id');
  const setRole = db.prepare('UPDATE users SET role = ? WHERE id = ?');
  const administrators = db.prepare("SELECT count(*) FROM users WHERE role = 'administrator'").pluck();
  const list = db.prepare(`SELECT ${columns}, (SELECT count(*) FROM posts WHERE author_id = users.id) AS postCount
    FROM users ORDER BY display_name COLLATE NOCASE, id`);
  const movePosts = db.prepare('UPDATE posts SET author_id = ? WHERE author_id = ?');
  const moveMedia = db.prepare('UPDATE media SET uploaded_by = ? WHERE uploaded_by = ?');
  const remove = db.prepare('DELETE FROM users WHERE id = ?');
  const removeAndReassign = db.transaction((id: number, heirId: number) => {
    const moved = movePosts.run(heirId, id).changes;
    moveMedia.run(heirId, id);
    remove.run(id);
    return moved;
  });
  return {
    insert: (user) => Number(insert.run(user).lastInsertRowid),
    findById: (id) => byId.get(id) as User | undefined,
    findByLogin: (login) => byLogin.get(login) as User | undefined,
    findByEmail: (email) => byEmail.get(email) as User | undefined,
    passwordHashOf: (email) => (hashOf.get(email) as string | null | undefined) ?? null,
    countAccounts: () => accounts.get() as number,
    passwordHashById: (id) => (hashById.get(id) as string | null | undefined) ?? null,
    setPasswordHash: (id, hash) => void setHash.run(hash, id),
    updateProfile: (id, profile) => void setProfile.run({ id, ...profile }),
    setRole: (id, role) => void setRole.run(role, id),
    countAdministrators: () => administrators.get() as number,
    list: () => list.all() as UserSummary[],
    removeAndReassign: (id, heirId) => removeAndReassign(id, heirId),
  };
}
