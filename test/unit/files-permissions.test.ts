import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { loadOrCreateSecret } from '../../src/secret.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { PNG } from '../fixtures/images.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'file-modes-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

// The usual umask of a server account, which leaves new files readable by everyone.
let previousUmask: number;
beforeEach(() => { previousUmask = process.umask(0o022); });
afterEach(() => { process.umask(previousUmask); });

describe('openDatabase', () => {
  it('creates the database, its -wal and -shm files readable by the owner only, in a folder only the owner may enter', () => {
    const file = path.join(root, 'new-data', 'blog.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (42)');
    expect(modeOf(path.dirname(file))).toBe(0o700);
    for (const name of [file, `${file}-wal`, `${file}-shm`]) expect([name, modeOf(name).toString(8)]).toEqual([name, '600']);
    db.close();
    // Opened again, the database is as it was left.
    const again = openDatabase(file);
    expect(again.prepare('SELECT x FROM t').pluck().get()).toBe(42);
    expect(modeOf(file)).toBe(0o600);
    again.close();
  });
});

describe('loadOrCreateSecret', () => {
  it('creates the secret file readable by the owner only, in a folder only the owner may enter, and reads it back next time', () => {
    const dataDir = path.join(root, 'secret-data');
    const secret = loadOrCreateSecret(undefined, dataDir);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'session-secret'))).toBe(0o600);
    expect(loadOrCreateSecret(undefined, dataDir)).toBe(secret);
    expect(fs.readdirSync(dataDir)).toEqual(['session-secret']);
  });

  it('refuses an empty secret file instead of signing cookies with nothing', () => {
    const dataDir = path.join(root, 'empty-secret');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'session-secret'), '\n');
    expect(() => loadOrCreateSecret(undefined, dataDir)).toThrow(/session-secret is empty: delete it/);
  });
});

describe('media uploads on disk', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  it('creates the uploads folder for the owner only and each stored image readable by the owner only', async () => {
    t = makeTestApp({ seed: false });
    const user = t.services.users.createAccount({ email: 'a@example.org', name: 'A', password: 'a long enough password', role: 'administrator' });
    if ('errors' in user) throw new Error('no account');
    const result = await t.services.media.upload({ bytes: PNG, originalName: 'a.png', uploadedBy: user.id });
    if (!('id' in result)) throw new Error(`refused: ${result.refusal}`);
    const dir = t.config.uploadsDir;
    expect(modeOf(dir)).toBe(0o700);
    const [stored] = fs.readdirSync(dir);
    expect(modeOf(path.join(dir, stored))).toBe(0o600);
  });
});
