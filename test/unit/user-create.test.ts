import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { verifyPassword } from '../../src/services/passwords.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-create-'));
const dbPath = path.join(dir, 'blog.db');
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const run = (args: string[], password: string) =>
  spawnSync(tsx, ['src/cli/user-create.ts', ...args], {
    cwd: projectRoot, encoding: 'utf8', env: { ...process.env, DATABASE_PATH: dbPath, BLOG_USER_PASSWORD: password },
  });

beforeAll(() => execFileSync(tsx, ['--version']));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('npm run user:create', () => {
  it('creates an administrator with a scrypt-hashed password on a new blog', async () => {
    const result = run(['--email', 'Owner@Example.org', '--name', 'Blog Owner'], 'a long enough password');
    expect(result.stdout).toContain('Created administrator owner@example.org');
    expect(result.status).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    const row = db.prepare("SELECT login, role, password_hash FROM users WHERE email = 'owner@example.org'").get() as Record<string, string>;
    db.close();
    expect(row.login).toBe('blog-owner');
    expect(row.role).toBe('administrator');
    expect(await verifyPassword('a long enough password', row.password_hash)).toBe(true);
  });

  it('refuses a short password, a bad email and a taken email, naming each problem', () => {
    const bad = run(['--email', 'nope', '--name', 'X'], 'short');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('email: Enter an email address.');
    expect(bad.stderr).toContain('password: Use at least 12 characters.');
    const blank = run(['--email', 'carl@example.org', '--name', 'Carl'], ' '.repeat(14));
    expect(blank.status).toBe(1);
    expect(blank.stderr).toContain('password: A password cannot be spaces alone.');
    const taken = run(['--email', 'owner@example.org', '--name', 'Again'], 'a long enough password');
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain('exists already');
  });
});
