import crypto from 'node:crypto';

/** scrypt parameters: N=2^15, r=8, p=1 (OWASP's minimum), a 16-byte salt and a 64-byte key. */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const MAX_MEMORY = 64 * 1024 * 1024;

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64url), so the parameters can change later. */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  const key = crypto.scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash in constant time; a malformed hash never matches. Asynchronous, so
 * the tens of milliseconds scrypt takes run on libuv's pool, not in front of every reader's request.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length,
      { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY }, (err, derived) => (err ? reject(err) : resolve(derived))));
  return crypto.timingSafeEqual(actual, expected);
}
