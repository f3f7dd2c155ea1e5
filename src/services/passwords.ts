import crypto from 'node:crypto';

/** scrypt at OWASP's minimum: N=2^17, r=8, p=1 (128 MiB of memory per hash), a 16-byte salt and a 64-byte key. */
const CURRENT = { N: 131072, r: 8, p: 1 };
const KEY_LENGTH = 64;
// scrypt needs a little more than 128·N·r bytes (exactly 128 MiB at N=2^17), so the cap leaves room above it.
const MAX_MEMORY = 256 * 1024 * 1024;

type Params = typeof CURRENT;

const derive = (password: string, salt: Buffer, length: number, { N, r, p }: Params) =>
  new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(password.normalize('NFKC'), salt, length, { N, r, p, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key))));

const format = ({ N, r, p }: Params, salt: Buffer, key: Buffer) =>
  ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');

/** The parts of `scrypt$N$r$p$salt$key`, or null when it is not a hash this code can check. */
function parse(stored: string) {
  const match = /^scrypt\$(\d{1,7})\$(\d{1,2})\$(\d{1,2})\$([\w-]{16,64})\$([\w-]{16,128})$/.exec(stored);
  if (!match) return null;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Older hashes (N=2^15) still verify; a stored value past the memory cap is refused rather than thrown on.
  const powerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || p < 1 || 128 * r * (N + p + 2) > MAX_MEMORY) return null;
  return { params: { N, r, p }, salt: Buffer.from(match[4], 'base64url'), key: Buffer.from(match[5], 'base64url') };
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64url), so the parameters can change later. */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  const { N, r, p } = CURRENT;
  return format(CURRENT, salt, crypto.scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: MAX_MEMORY }));
}

/** The same hash as hashPassword, computed on libuv's pool so a request that sets a password does not stall readers. */
export async function hashPasswordAsync(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  return format(CURRENT, salt, await derive(password, salt, KEY_LENGTH, CURRENT));
}

/**
 * Checks a password against a stored hash in constant time, with the parameters the hash was made with; a
 * malformed hash never matches. Asynchronous, so the scrypt work runs on libuv's pool, not in front of readers.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parse(stored);
  if (!hash) return false;
  const actual = await derive(password, hash.salt, hash.key.length, hash.params);
  return crypto.timingSafeEqual(actual, hash.key);
}

/** Whether a stored hash was made with other parameters than today's, and should be made again at the next login. */
export function needsRehash(stored: string): boolean {
  const hash = parse(stored);
  return !hash || hash.params.N !== CURRENT.N || hash.params.r !== CURRENT.r || hash.params.p !== CURRENT.p || hash.key.length !== KEY_LENGTH;
}
