import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/services/passwords.js';

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', () => {
    const a = hashPassword('correct horse battery staple');
    const b = hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(verifyPassword('correct horse battery stapler', a)).toBe(false);
  });

  it('never matches a malformed stored hash', () => {
    expect(verifyPassword('x', '')).toBe(false);
    expect(verifyPassword('x', 'md5$abc')).toBe(false);
  });
});
