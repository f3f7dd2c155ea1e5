import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionData } from 'express-session';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase, type Db } from '../../src/db/open.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { migrationsDir, projectRoot } from '../../src/paths.js';
import { createUsersRepository } from '../../src/repositories/users.js';
import { verifyPassword } from '../../src/services/passwords.js';
import { createUsersService } from '../../src/services/users.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-password-'));
const dbPath = path.join(dir, 'blog.db');
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const run = (args: string[], password: string, databasePath = dbPath) =>
  spawnSync(tsx, ['src/cli/user-password.ts', ...args], {
    cwd: projectRoot, encoding: 'utf8', env: { ...process.env, DATABASE_PATH: databasePath, BLOG_USER_PASSWORD: password },
  });

let db: Db;
const ids: Record<string, number> = {};
const hashOf = (id: number) => db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(id) as string;
const sessionsOf = (key: string) =>
  db.prepare("SELECT sid FROM sessions WHERE json_extract(data, '$.passport.user') = ? ORDER BY sid").pluck().all(key);

beforeAll(() => {
  db = openDatabase(dbPath);
  migrate(db, migrationsDir);
  const users = createUsersService(createUsersRepository(db));
  for (const [key, email] of [['owner', 'owner@example.org'], ['writer', 'writer@example.org']]) {
    const made = users.createAccount({ email, name: key, password: 'the first long password', role: 'administrator' });
    if ('errors' in made) throw new Error(JSON.stringify(made.errors));
    ids[key] = made.id;
  }
  // Two browsers logged in as the owner, one as the writer, as the running blog would have stored them.
  const store = new SqliteSessionStore(db);
  const session = (user: string) => ({ cookie: { expires: new Date(Date.now() + 86400_000), originalMaxAge: null }, passport: { user } }) as unknown as SessionData;
  store.set('owner-laptop', session(`user:${ids.owner}`));
  store.set('owner-phone', session(`user:${ids.owner}`));
  store.set('writer-laptop', session(`user:${ids.writer}`));
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run user:password', () => {
  it('sets the new password and logs every session of that account out, leaving other accounts logged in', async () => {
    const result = run(['--email', 'Owner@Example.org'], 'a second long password');
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Password changed for owner@example.org; 2 sessions logged out.');
    expect(result.status).toBe(0);
    expect(hashOf(ids.owner)).toMatch(/^scrypt\$131072\$/);
    expect(await verifyPassword('a second long password', hashOf(ids.owner))).toBe(true);
    expect(await verifyPassword('the first long password', hashOf(ids.owner))).toBe(false);
    expect(sessionsOf(`user:${ids.owner}`)).toEqual([]);
    expect(sessionsOf(`user:${ids.writer}`)).toEqual(['writer-laptop']);
  });

  it('refuses an unknown email, a short password, a missing --email and a missing database, changing nothing', async () => {
    const before = hashOf(ids.writer);
    const unknown = run(['--email', 'nobody@example.org'], 'a long enough password');
    expect([unknown.status, unknown.stderr.trim()]).toEqual([1, 'user:password: no account has the email nobody@example.org']);
    const short = run(['--email', 'writer@example.org'], 'short');
    expect([short.status, short.stderr.trim()]).toEqual([1, 'user:password: password: Use at least 12 characters.']);
    const noEmail = run([], 'a long enough password');
    expect(noEmail.status).toBe(1);
    expect(noEmail.stderr).toContain('--email');
    const elsewhere = path.join(dir, 'nothing-here', 'blog.db');
    const missing = run(['--email', 'writer@example.org'], 'a long enough password', elsewhere);
    expect([missing.status, missing.stderr.trim()]).toEqual([1, `user:password: no database at ${elsewhere}`]);
    expect(fs.existsSync(elsewhere)).toBe(false);
    expect(hashOf(ids.writer)).toBe(before);
    expect(sessionsOf(`user:${ids.writer}`)).toEqual(['writer-laptop']);
  });
});
