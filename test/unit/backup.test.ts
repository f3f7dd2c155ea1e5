import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/container.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { migrationsDir, projectRoot } from '../../src/paths.js';
import { loadOrCreateSecret } from '../../src/secret.js';
import { adminAgent, editor } from '../support/admin.js';
import { upload } from '../support/admin-media.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';
import { manualClock, submitComment } from '../support/comments.js';
import { PNG } from '../fixtures/images.js';

const backups = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-backups-'));
const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-restored-'));
const clock = manualClock();
let t: TestApp;
let secret: string;
let image: { url: string; bytes: Buffer };
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** Runs `npm run backup -- ...args` (the CLI from source) against `env`; resolves when it exits. */
function runBackup(args: string[], env: Record<string, string>) {
  const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'tsx'), ['src/cli/backup.ts', ...args], {
    cwd: projectRoot, env: { ...process.env, SESSION_SECRET: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

beforeAll(async () => {
  t = makeTestApp({ now: clock.now });
  secret = loadOrCreateSecret(undefined, t.config.dataDir);
  t.services.settings.update({ requirePreviouslyApproved: false } as never);
  const { agent, csrf } = await adminAgent(t);
  await upload(agent, csrf, PNG, 'photo.png');
  const fileName = t.db.prepare('SELECT file_name FROM media').pluck().get() as string;
  image = { url: `/uploads/${fileName}`, bytes: (await request(t.app).get(`/uploads/${fileName}`)).body as Buffer };
  expect((await submitComment(t, clock, { author: 'Ani', email: 'ani@example.org', comment: 'Komentar sebelum cadangan' }, { wait: 60 })).status).toBe(303);
  expect((await submitComment(t, clock, { author: 'Budi', email: 'budi@example.org', comment: 'Balasan kedua' }, { wait: 60 })).status).toBe(303);
});
afterAll(() => {
  t?.close();
  fs.rmSync(backups, { recursive: true, force: true });
  fs.rmSync(restoredDir, { recursive: true, force: true });
});

describe('npm run backup -- DIR', () => {
  let backup: string;
  /** How many of the posts published during the backup its copy holds. */
  let postsInCopy: number;

  it('copies the live database, the uploads and the secret while the blog takes writes, readable by the owner only', async () => {
    const { agent, csrf } = await adminAgent(t, 'administrator', 'writer@example.org');
    const running = runBackup([backups], { DATABASE_PATH: t.config.databasePath });
    let done = false;
    void running.then(() => (done = true));
    // The admin keeps publishing posts for as long as the backup process runs.
    const answers: number[] = [];
    while (!done) {
      const res = await agent.post('/admin/posts/new/').type('form')
        .send(editor({ _csrf: csrf, title: `During backup ${answers.length}`, status: 'published', markdown: 'Written while the backup ran.' }));
      answers.push(res.status);
    }
    const result = await running;
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((status) => status === 303)).toBe(true);

    const [folder] = fs.readdirSync(backups);
    expect(folder).toMatch(/^blog-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    backup = path.join(backups, folder);
    expect(result.stdout).toContain(`Backup written to ${backup}`);
    expect(fs.readdirSync(backup).sort()).toEqual(['blog.db', 'session-secret', 'uploads']);
    expect(modeOf(backup)).toBe(0o700);
    expect(modeOf(path.join(backup, 'blog.db'))).toBe(0o600);
    expect(modeOf(path.join(backup, 'session-secret'))).toBe(0o600);

    // A consistent database: whole, with everything written before the backup and some prefix of what came during it.
    const copy = new Database(path.join(backup, 'blog.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const titles = copy.prepare("SELECT title FROM posts WHERE title LIKE 'During backup %' ORDER BY id").pluck().all() as string[];
    expect(titles).toEqual(titles.map((_, i) => `During backup ${i}`));
    postsInCopy = titles.length;
    expect(copy.prepare('SELECT count(*) FROM comments').pluck().get()).toBe(2);
    copy.close();
  });

  it('restores into a fresh data folder, where the blog serves the same posts, comments and image', async () => {
    // The README's restore: the backup's files copied into an empty data folder.
    fs.cpSync(backup, restoredDir, { recursive: true });
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: path.join(restoredDir, 'blog.db'), PUBLIC_URL: 'http://blog.test' });
    expect(config.uploadsDir).toBe(path.join(restoredDir, 'uploads'));
    const db = openDatabase(config.databasePath);
    try {
      migrate(db, migrationsDir);
      const restoredSecret = loadOrCreateSecret(undefined, config.dataDir);
      expect(restoredSecret).toBe(secret);
      const services = createServices(db, config, restoredSecret);
      const app = createApp({ config, services, secret: restoredSecret, sessionStore: new SqliteSessionStore(db), limiters: sqliteLimiters(db) });

      const post = await request(app).get(SEED_PATH);
      expect(post.status).toBe(200);
      expect(post.text).toContain('Komentar sebelum cadangan');
      expect(post.text).toContain('Balasan kedua');
      const home = await request(app).get('/');
      // The newest post of the copy heads the home page; what was published after the copy is not there.
      if (postsInCopy > 0) expect(home.text).toContain(`During backup ${postsInCopy - 1}<`);
      expect(home.text).not.toContain(`During backup ${postsInCopy}<`);
      const served = await request(app).get(image.url);
      expect(served.status).toBe(200);
      expect(Buffer.compare(served.body as Buffer, image.bytes)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('refuses to run without a folder, or without a database to copy, and creates nothing', async () => {
    const noFolder = await runBackup([], { DATABASE_PATH: t.config.databasePath });
    expect(noFolder.status).toBe(1);
    expect(noFolder.stderr).toContain('usage: npm run backup -- DIR');
    const target = path.join(backups, 'never');
    const missing = path.join(backups, 'nowhere', 'blog.db');
    const noDatabase = await runBackup([target], { DATABASE_PATH: missing });
    expect(noDatabase.status).toBe(1);
    expect(noDatabase.stderr).toContain(`there is no database at ${missing}`);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(missing)).toBe(false);
  });
});
