import crypto from 'node:crypto';
import { config as loadDotenv } from 'dotenv';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createServices } from './container.js';
import { MigrationError, migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import { SqliteSessionStore } from './db/session-store.js';
import { sqliteLimiters } from './db/rate-limit-store.js';
import { startHousekeeping } from './db/housekeeping.js';
import { migrationsDir } from './paths.js';
import { loadOrCreateSecret } from './secret.js';
import { measureImages, rerender } from './rerender.js';
import { seed } from './seed.js';
import { listen } from './server.js';
import { createLogger } from './logger.js';
import { connectToPublicAddressesOnly } from './services/public-only-agent.js';

loadDotenv({ quiet: true });

async function start() {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // Addresses that visitors and other servers name are fetched: never on the blog's own network.
  if (!config.fediverse.allowPrivateAddress) connectToPublicAddressesOnly();
  const db = openDatabase(config.databasePath);
  const applied = migrate(db, migrationsDir);
  const secret = loadOrCreateSecret(config.sessionSecret, config.dataDir);
  const services = createServices(db, config, secret);
  if (applied.includes('0001_initial.sql')) seed(services);
  await measureImages(services, (line) => logger.info(line));
  rerender(services, (line) => logger.info(line));

  // A fresh blog is claimed at /admin/setup/ with a token only the person who started it can read.
  const setupToken = services.users.hasAccount() ? undefined : crypto.randomBytes(16).toString('base64url');
  const app = createApp({ config, services, secret, sessionStore: new SqliteSessionStore(db), logger, setupToken, limiters: sqliteLimiters(db) });
  startHousekeeping(db, logger);
  const running = await listen(app, {
    port: config.port,
    host: config.host,
    onClose: () => {
      // Fold the write-ahead log into the database file, so a stopped blog is one self-contained file.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  });
  // Start-up lines go through the same logger as everything else, so one place (the journal) has them all.
  logger.info(`Blog running at http://${config.host}:${running.port}/ (public URL ${config.publicUrl})`);
  services.mailWorker.start(logger);
  services.fediverse.start(logger);
  const mail = config.mail.transport;
  logger.info(!mail ? 'Email is off: set SMTP_URL to send notices, confirmations and password resets' : 'dir' in mail ? `Email is written to ${mail.dir} as .eml files, not sent (MAIL_DIR)` : 'Email is sent through SMTP_URL');
  if (typeof config.trustProxy === 'number' && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
    logger.warn(`TRUST_PROXY=${config.trustProxy} believes X-Forwarded-For from anyone who can reach ${config.host}:${running.port}; set TRUST_PROXY=loopback or the proxy's address`);
  }
  if (setupToken) {
    logger.info(`No one can log in yet. Open ${config.publicUrl}/admin/setup/ and enter the setup token ${setupToken}`);
    logger.info('(or create the account with: npm run user:create -- --email you@example.org --name "Your Name")');
  }

  const stop = (signal: string) => {
    logger.info(`${signal}: finishing requests in flight, then stopping`);
    const exit = (code: number) => logger.close(() => process.exit(code));
    // The worker first: a message being sent is recorded as sent while the database is still open.
    Promise.all([services.mailWorker.stop(), services.fediverse.stop()]).then(() => running.shutdown()).then(() => exit(0), (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

start().catch((err: unknown) => {
  // Bad settings, a failed migration or a port already taken: one clear line, not a stack trace.
  const listenFailed = err instanceof Error && (err as NodeJS.ErrnoException).syscall === 'listen';
  if (err instanceof ConfigError || err instanceof MigrationError || listenFailed) {
    console.error(listenFailed ? `Cannot listen: ${(err as Error).message}` : (err as Error).message);
    process.exit(1);
  }
  throw err;
});
