import { describe, expect, it } from 'vitest';
import { hashPassword, hashPasswordAsync, needsRehash, verifyPassword } from '../../src/services/passwords.js';
import { oldHash } from '../support/old-hash.js';

describe('passwords', () => {
  it('hashes with scrypt at N=2^17, r=8, p=1 and a fresh salt, and verifies only the right password', async () => {
    const a = hashPassword('correct horse battery staple');
    const b = await hashPasswordAsync('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(b).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery staple', b)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it('still verifies a hash made at the old N=2^15, and marks it for rehashing', async () => {
    const old = oldHash('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', old)).toBe(true);
    expect(await verifyPassword('wrong horse battery staple', old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  it('never matches a malformed stored hash, nor one whose cost is past the memory cap', async () => {
    const [, , , , salt, key] = hashPassword('x').split('$');
    for (const stored of ['', 'md5$abc', `scrypt$1000$8$1$${salt}$${key}`, `scrypt$1048576$8$1$${salt}$${key}`, `scrypt$0$8$1$${salt}$${key}`]) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
      expect(needsRehash(stored), stored).toBe(true);
    }
  });
});
