/**
 * npm run import -- FILE [--download-media [--allow-private]]
 * Imports a WordPress export (WXR 1.0–1.2, or WordPress.com's .zip) into the database at DATABASE_PATH, whether the
 * blog is running or not. Shows progress on a terminal and ends with what was imported, what was left out and why.
 * --download-media then fetches the old blog's images into the media library (public addresses only, unless
 * --allow-private) and points the posts at them.
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
import { describeDownloads } from '../wxr/download-media.js';
import { describeSummary } from '../wxr/summary-text.js';

async function main() {
  loadDotenv({ quiet: true });
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'download-media': { type: 'boolean' }, 'allow-private': { type: 'boolean' } } });
  if (positionals.length !== 1 || (values['allow-private'] && !values['download-media'])) {
    throw new Error('usage: npm run import -- FILE [--download-media [--allow-private]]');
  }
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
    const sites: string[] = [];
    const summary = await services.wxrImport(file, (now, done, total) => {
      if (!bar) return;
      const label = now === 'checking' ? 'Checking ' : 'Importing';
      if (phase !== now) {
        if (phase) bar.stop();
        bar.start(total, done, { phase: label });
        phase = now;
      } else bar.update(done);
    }, undefined, (channel) => sites.push(channel.baseSiteUrl, channel.baseBlogUrl));
    bar?.stop();
    console.log(describeSummary(summary));
    if (values['download-media']) {
      const downloads = await services.wxrDownloadMedia({ allowPrivate: values['allow-private'] ?? false, sites });
      console.log(`\n${describeDownloads(downloads)}`);
    }
  } finally {
    db.close();
  }
}

main().catch((err: Error) => {
  console.error(`import: ${err.message}`);
  process.exit(1);
});
