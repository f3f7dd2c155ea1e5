/**
 * npm run -s export > blog.xml
 * Writes the whole blog at DATABASE_PATH as a WordPress eXtended RSS 1.2 file to stdout (progress on stderr when it
 * is a terminal). Safe while the blog serves: the export reads one snapshot of the database.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SingleBar } from 'cli-progress';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { migrationsDir } from '../paths.js';
import { createSettingsRepository } from '../repositories/settings.js';
import { createWxrExportRepository } from '../repositories/wxr-export.js';
import { createSettingsService } from '../services/settings.js';
import { createWxrExport } from '../services/wxr-export.js';

async function main() {
  loadDotenv({ quiet: true });
  if (process.argv.length > 2) throw new Error('usage: npm run -s export > blog.xml (it takes no arguments)');
  const config = loadConfig(process.env);
  if (config.databasePath === ':memory:') throw new Error('DATABASE_PATH is :memory:, there is nothing to export');
  if (!fs.existsSync(config.databasePath)) throw new Error(`there is no database at ${config.databasePath} (check DATABASE_PATH)`);
  if (process.stdout.isTTY) throw new Error('the export is XML for a file: send it to one, as in npm run -s export > blog.xml');

  const db = openDatabase(config.databasePath);
  try {
    // A database last opened by an older version gets the columns the export reads, as the server would give it.
    migrate(db, migrationsDir);
    const exporter = createWxrExport({ repo: createWxrExportRepository(db), settings: createSettingsService(createSettingsRepository(db), config.publicUrl) });
    // One read transaction: every batch sees the same blog, whatever the running server writes meanwhile.
    db.exec('BEGIN');
    const bar = process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: 'Exporting [{bar}] {value}/{total} items' }) : null;
    bar?.start(exporter.itemCount(), 0);
    try {
      await pipeline(Readable.from(exporter.document(() => bar?.increment())), process.stdout);
    } finally {
      bar?.stop();
      db.exec('COMMIT');
    }
  } finally {
    db.close();
  }
}

main().catch((err: NodeJS.ErrnoException) => {
  // A reader that stops early (npm run -s export | head) is not an error worth a message.
  if (err.code === 'EPIPE') process.exit(0);
  console.error(`export: ${err.message}`);
  process.exit(1);
});
