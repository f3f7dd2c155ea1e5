import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/services/passwords.js';
import { createAccount, PASSWORD } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { oldHash } from '../support/old-hash.js';

let t: TestApp;
afterEach(() => t?.close());

const storedHash = (id: number) => t.db.prepare('SELECT password_hash FROM users WHERE id = ?').pluck().get(id) as string;

describe('POST /admin/login/ with a password hashed at the old cost', () => {
  it('logs in with the N=2^15 hash and replaces it with an N=2^17 one; a wrong password replaces nothing', async () => {
    t = makeTestApp();
    const owner = createAccount(t, 'administrator', 'owner@example.org');
    const old = oldHash(PASSWORD);
    t.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(old, owner.id);

    const wrong = await request(t.app).post('/admin/login/').type('form').send({ email: 'owner@example.org', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(storedHash(owner.id)).toBe(old);

    const login = await request(t.app).post('/admin/login/').type('form').send({ email: 'owner@example.org', password: PASSWORD });
    expect(login.status).toBe(303);
    const upgraded = storedHash(owner.id);
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, upgraded)).toBe(true);
    const again = await request(t.app).post('/admin/login/').type('form').send({ email: 'owner@example.org', password: PASSWORD });
    expect(again.status).toBe(303);
    expect(storedHash(owner.id)).toBe(upgraded);
  });
});
