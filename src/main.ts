import crypto from 'node:crypto';
import { config as loadDotenv } from 'dotenv';
import pino from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createServices } from './container.js';
import { MigrationError, migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { SqliteSessionStore } from './db/session-store.js';
import { migrationsDir } from './paths.js';
import { loadOrCreateSecret } from './secret.js';
import { seed } from './seed.js';

loadDotenv({ quiet: true });

function start() {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.logLevel });
  const db = openDatabase(config.databasePath);
  const applied = migrate(db, migrationsDir);
  const secret = loadOrCreateSecret(config.sessionSecret, config.dataDir);
  const services = createServices(db, config, secret);
  if (applied.includes('0001_initial.sql')) seed(services);

  // A fresh blog is claimed at /admin/setup/ with a token only the person who started it can read.
  const setupToken = services.users.hasAccount() ? undefined : crypto.randomBytes(16).toString('base64url');
  const app = createApp({ config, services, secret, sessionStore: new SqliteSessionStore(db), logger, setupToken });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    console.log(`Blog running at http://localhost:${port}/ (public URL ${config.publicUrl})`);
    if (setupToken) {
      console.log(`No one can log in yet. Open ${config.publicUrl}/admin/setup/ and enter the setup token ${setupToken}`);
      console.log('(or create the account with: npm run user:create -- --email you@example.org --name "Your Name")');
    }
  });

  const shutdown = () => {
    server.close(() => {
      db.close();
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

try {
  start();
} catch (err) {
  if (err instanceof ConfigError || err instanceof MigrationError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
