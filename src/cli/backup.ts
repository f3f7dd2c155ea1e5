/**
 * npm run backup -- DIR
 * Writes a consistent copy of the live database (SQLite's online backup), the uploads and the generated
 * session secret into a new DIR/blog-backup-<time>/ that only the owner may read. Safe while the blog serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config.js';
import { secretFile } from '../secret.js';

/** The whole database in one step: one read snapshot, so writes by the running blog never restart it. */
const ALL_PAGES = 0x7fffffff;

async function main() {
  loadDotenv({ quiet: true });
  const { positionals } = parseArgs({ allowPositionals: true });
  if (positionals.length !== 1) throw new Error('usage: npm run backup -- DIR');
  const config = loadConfig(process.env);
  if (config.databasePath === ':memory:') throw new Error('DATABASE_PATH is :memory:, there is nothing to back up');
  if (!fs.existsSync(config.databasePath)) throw new Error(`there is no database at ${config.databasePath} (check DATABASE_PATH)`);

  const target = path.join(path.resolve(positionals[0]), `blog-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  fs.mkdirSync(target, { mode: 0o700 });

  // fileMustExist: never leave a new empty database behind.
  const db = new Database(config.databasePath, { fileMustExist: true });
  const databaseCopy = path.join(target, path.basename(config.databasePath));
  fs.closeSync(fs.openSync(databaseCopy, 'wx', 0o600));
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(databaseCopy, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  const written = [databaseCopy];

  // After the database: every image its copy lists was on disk before its row was written.
  if (fs.existsSync(config.uploadsDir)) {
    fs.cpSync(config.uploadsDir, path.join(target, 'uploads'), { recursive: true, preserveTimestamps: true });
    written.push(path.join(target, 'uploads'));
  }
  if (config.sessionSecret) console.log('SESSION_SECRET comes from the environment: keep it with your configuration, not in this backup.');
  else if (fs.existsSync(secretFile(config.dataDir))) {
    fs.copyFileSync(secretFile(config.dataDir), path.join(target, 'session-secret'), fs.constants.COPYFILE_EXCL);
    written.push(path.join(target, 'session-secret'));
  }
  console.log(`Backup written to ${target}:\n${written.map((file) => `  ${path.basename(file)}`).join('\n')}`);
}

main().catch((err: Error) => {
  console.error(`backup: ${err.message}`);
  process.exit(1);
});
