import crypto from 'node:crypto';

/** A password hash as the blog stored it before N went up to 2^17: scrypt at N=2^15, r=8, p=1. */
export function oldHash(password: string): string {
  const salt = crypto.randomBytes(16);
  const key = crypto.scryptSync(password.normalize('NFKC'), salt, 64, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', 32768, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
}
