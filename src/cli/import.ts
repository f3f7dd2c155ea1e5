/**
 * npm run import -- FILE
 * Imports a WordPress export (WXR 1.0–1.2, or WordPress.com's .zip) into the database at DATABASE_PATH, whether the
 * blog is running or not. Shows progress on a terminal and ends with what was imported, what was left out and why.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config.js';
import { createServices } from '../container.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { migrationsDir } from '../paths.js';
import { loadOrCreateSecret } from '../secret.js';
import { seed } from '../seed.js';
import { describeSummary } from '../wxr/summary-text.js';

async function main() {
  loadDotenv({ quiet: true });
  const { positionals } = parseArgs({ allowPositionals: true });
  if (positionals.length !== 1) throw new Error('usage: npm run import -- FILE');
  const [file] = positionals;
  if (!fs.existsSync(file)) throw new Error(`there is no file ${file}`);
  const config = loadConfig(process.env);
  const db = openDatabase(config.databasePath);
  try {
    const applied = migrate(db, migrationsDir);
    const services = createServices(db, config, loadOrCreateSecret(config.sessionSecret, config.dataDir));
    if (applied.includes('0001_initial.sql')) seed(services);
    const bar = process.stderr.isTTY ? new SingleBar({ format: '{phase} [{bar}] {percentage}% {value}/{total}', stream: process.stderr }) : null;
    let phase = '';
    const summary = await services.wxrImport(file, (now, done, total) => {
      if (!bar) return;
      const label = now === 'checking' ? 'Checking ' : 'Importing';
      if (phase !== now) {
        if (phase) bar.stop();
        bar.start(total, done, { phase: label });
        phase = now;
      } else bar.update(done);
    });
    bar?.stop();
    console.log(describeSummary(summary));
  } finally {
    db.close();
  }
}

main().catch((err: Error) => {
  console.error(`import: ${err.message}`);
  process.exit(1);
});
