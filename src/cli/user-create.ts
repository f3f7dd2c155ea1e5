/**
 * npm run user:create -- --email you@example.org --name "Your Name" [--role author]
 * Asks for the password without echoing it, or takes BLOG_USER_PASSWORD (for scripts).
 */
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { loadConfig } from '../config.js';
import { createServices } from '../container.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { say, translator } from '../i18n/index.js';
import { migrationsDir } from '../paths.js';
import { loadOrCreateSecret } from '../secret.js';
import { seed } from '../seed.js';
import { askHidden } from './ask-hidden.js';

async function main() {
  loadDotenv({ quiet: true });
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'administrator' } } });
  if (values.role !== 'administrator' && values.role !== 'author') throw new Error('--role: expected administrator or author');
  const password = process.env.BLOG_USER_PASSWORD ?? (await askHidden('Password: '));
  const config = loadConfig(process.env);
  const db = openDatabase(config.databasePath);
  const applied = migrate(db, migrationsDir);
  const services = createServices(db, config, loadOrCreateSecret(config.sessionSecret, config.dataDir));
  if (applied.includes('0001_initial.sql')) seed(services);
  const result = services.users.createAccount({ email: values.email ?? '', name: values.name ?? '', password, role: values.role });
  db.close();
  // The server's console speaks English, whatever the site's language.
  const english = translator('en');
  if ('errors' in result) throw new Error(Object.entries(result.errors).map(([field, problem]) => `${field}: ${say(english, problem)}`).join('; '));
  console.log(`Created ${values.role} ${values.email?.trim().toLowerCase()} (id ${result.id}).`);
}

main().catch((err: Error) => {
  console.error(`user:create: ${err.message}`);
  process.exit(1);
});
