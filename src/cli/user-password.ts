/**
 * npm run user:password -- --email you@example.org
 * Sets a new password and logs the account out of every session. Asks for the password twice without echoing
 * it, or takes BLOG_USER_PASSWORD (for scripts).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { sessionKeyOf } from '../auth/identity.js';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { SqliteSessionStore } from '../db/session-store.js';
import { say, translator } from '../i18n/index.js';
import { migrationsDir } from '../paths.js';
import { createUsersRepository } from '../repositories/users.js';
import { createUsersService } from '../services/users.js';
import { askHidden } from './ask-hidden.js';

async function readPassword(): Promise<string> {
  if (process.env.BLOG_USER_PASSWORD !== undefined) return process.env.BLOG_USER_PASSWORD;
  const password = await askHidden('New password: ');
  if ((await askHidden('Again: ')) !== password) throw new Error('the two passwords differ; nothing was changed');
  return password;
}

async function main() {
  loadDotenv({ quiet: true });
  const { values } = parseArgs({ options: { email: { type: 'string' } } });
  if (!values.email) throw new Error('--email: whose password to set, e.g. --email you@example.org');
  const config = loadConfig(process.env);
  // Opening a missing file would make an empty blog: say where we looked instead.
  if (config.databasePath !== ':memory:' && !fs.existsSync(config.databasePath)) throw new Error(`no database at ${config.databasePath}`);
  const password = await readPassword();
  const db = openDatabase(config.databasePath);
  try {
    migrate(db, migrationsDir);
    const result = await createUsersService(createUsersRepository(db)).setPassword(values.email, password);
    if (!result) throw new Error(`no account has the email ${values.email}`);
    // The server's console speaks English, whatever the site's language.
    if ('errors' in result) throw new Error(`password: ${say(translator('en'), result.errors.password)}`);
    const ended = new SqliteSessionStore(db).destroyUserSessions(sessionKeyOf(result.user));
    console.log(`Password changed for ${result.user.email}; ${ended === 1 ? '1 session' : `${ended} sessions`} logged out.`);
  } finally {
    db.close();
  }
}

main().catch((err: Error) => {
  console.error(`user:password: ${err.message}`);
  process.exit(1);
});
