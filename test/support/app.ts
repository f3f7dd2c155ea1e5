import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/container.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { sqliteLimiters } from '../../src/db/rate-limit-store.js';
import { migrationsDir } from '../../src/paths.js';
import { seed } from '../../src/seed.js';
import type { DeliveryRetry } from '../../src/fediverse/delivery-retry.js';

export interface TestAppOptions {
  /** The clock the services read; tests move it instead of sleeping. */
  now?: () => Date;
  providerTimeoutMs?: number;
  env?: Record<string, string>;
  /** Seed the IMers article as a fresh install does (default true). */
  seed?: boolean;
  /** Opens the setup page with this token. */
  setupToken?: string;
  /** Where the app logs (silent by default); tests read it to check what was logged. */
  logger?: Logger;
  /** Email's retry waits (env SMTP_URL or MAIL_DIR turns email on; the worker then runs until close()). */
  mailBackoffMs?: readonly number[];
  /** Fediverse deliveries' retry waits and when they are given up. */
  deliveryRetry?: DeliveryRetry;
}

/** A fresh app on a fresh SQLite file in a temp folder, migrated (and seeded) like a new install. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hmac';

export function makeTestApp({ env = {}, seed: withSeed = true, now, providerTimeoutMs, setupToken, logger, mailBackoffMs, deliveryRetry }: TestAppOptions = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blog-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: path.join(dir, 'blog.db'),
    PUBLIC_URL: 'http://blog.test',
    ...env,
  });
  const db = openDatabase(config.databasePath);
  migrate(db, migrationsDir);
  const services = createServices(db, config, TEST_SECRET, now, { backoffMs: mailBackoffMs }, { deliveryRetry });
  if (withSeed) seed(services);
  const app = createApp({ config, services, secret: TEST_SECRET, sessionStore: new SqliteSessionStore(db), providerTimeoutMs, setupToken, logger, limiters: sqliteLimiters(db) });
  if (services.mailer.enabled) services.mailWorker.start(logger ?? pino({ level: 'silent' }));
  services.fediverse.start(logger ?? pino({ level: 'silent' }));
  const close = () => {
    void services.mailWorker.stop();
    void services.fediverse.stop();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { app, db, services, config, dir, close };
}

export type TestApp = ReturnType<typeof makeTestApp>;

export const SEED_PATH = '/2016/05/12/trend-life-style-menjadi-pasangan-imers/';

/** Adds a published post through the posts service, as the admin will. */
export function addPost(
  t: TestApp,
  fields: Partial<Parameters<TestApp['services']['posts']['create']>[0]> & { slug: string },
) {
  const author = t.services.users.findByLogin('newbie-im')!;
  return t.services.posts.create({
    status: 'published',
    title: fields.slug.replace(/-/g, ' '),
    markdown: `Body of ${fields.slug}.`,
    authorId: author.id,
    ...fields,
  });
}

/** A pino logger that keeps every line it writes, for tests that check what the blog logged. */
export function recordingLogger(level = 'info') {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { logger: pino({ level }, stream), lines };
}
