import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Where the generated secret is kept (backups copy it from here). */
export const secretFile = (dataDir: string) => path.join(dataDir, 'session-secret');

/**
 * The configured secret, or one generated on first start and kept in the data folder (zero-config),
 * readable by its owner only. Two processes starting at once agree on it: each writes a candidate to
 * a file of its own, and only the first hard link to the shared name succeeds; everyone reads the winner.
 */
export function loadOrCreateSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = secretFile(dataDir);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const candidate = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(candidate, crypto.randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(candidate, file);
    } catch (err) {
      // Another process linked its candidate first: theirs is the secret.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(candidate, { force: true });
    }
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (!secret) throw new Error(`${file} is empty: delete it to have a new secret made, or set SESSION_SECRET`);
  return secret;
}
