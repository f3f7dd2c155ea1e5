import { afterEach, describe, expect, it } from 'vitest';
import { usersEn } from '../../src/i18n/admin/users.en.js';
import { usersId } from '../../src/i18n/admin/users.id.js';
import { adminAgent, createAccount, RAW_KEY } from '../support/admin.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

/** The Users and Profile screens, and their refusals, as an administrator of a blog in the given language sees them. */
async function screens(language: 'en' | 'id') {
  t = makeTestApp();
  if (language !== 'en') expect(t.services.settings.update({ language })).toEqual({});
  const { agent, csrf, user } = await adminAgent(t);
  const writer = createAccount(t, 'author', 'writer@example.org', 'Wati');
  return {
    profile: await agent.get('/admin/profile/'),
    profileRefused: await agent.post('/admin/profile/').type('form')
      .send({ _csrf: csrf, name: '', email: 'writer@example.org', currentPassword: 'wrong password here', newPassword: 'short', repeatPassword: 'other' }),
    profileSaved: await agent.get('/admin/profile/?saved=password'),
    users: await agent.get(`/admin/users/?added=${writer.id}`),
    usersNew: await agent.get('/admin/users/new/'),
    usersNewRefused: await agent.post('/admin/users/new/').type('form').send({ _csrf: csrf, name: 'x'.repeat(201), email: 'nope', role: 'x', password: 'x'.repeat(1001) }),
    usersDelete: await agent.get(`/admin/users/${writer.id}/delete/`),
    lastAdministrator: await agent.post(`/admin/users/${user.id}/role/`).type('form').send({ _csrf: csrf, role: 'author' }),
    removeSelf: await agent.get(`/admin/users/${user.id}/delete/`),
    removed: await agent.get(`/admin/users/?removed=${user.id}`),
  };
}

describe('the Users and Profile screens in Bahasa Indonesia', () => {
  it('speak Indonesian on every screen and refusal, with no catalogue key left showing', async () => {
    const pages = await screens('id');
    for (const [name, page] of Object.entries(pages)) {
      expect(page.text, name).toContain('<html lang="id">');
      expect(page.text, name).not.toMatch(RAW_KEY);
    }
    for (const label of ['Pengguna', 'Profil']) expect(pages.users.text).toContain(`>${label}</a>`);
    expect(pages.profile.text).toContain('<h1>Profil</h1>');
    expect(pages.profile.text).toContain('Kata sandi saat ini');
    expect(pages.profile.text).toContain('Perbarui Profil');
    expect(pages.profileRefused.status).toBe(422);
    expect(pages.profileRefused.text).toContain('Profil Anda tidak disimpan.');
    expect(pages.profileRefused.text).toContain('Ini bukan kata sandi Anda saat ini.');
    expect(pages.profileRefused.text).toContain('Kedua kata sandi baru tidak sama.');
    expect(pages.profileRefused.text).toContain('Akun dengan writer@example.org sudah ada.');
    expect(pages.profileSaved.text).toContain('Kata sandi diubah.');
    expect(pages.users.text).toContain('Wati telah ditambahkan dan sekarang dapat masuk.');
    expect(pages.users.text).toContain('<option value="author" selected>penulis</option>');
    expect(pages.users.text).toContain('Tambah Pengguna Baru');
    expect(pages.usersNew.text).toContain('Sedikitnya 12 karakter.');
    expect(pages.usersNewRefused.status).toBe(422);
    expect(pages.usersNewRefused.text).toContain('Pengguna tidak ditambahkan.');
    expect(pages.usersNewRefused.text).toContain('Gunakan paling banyak 200 karakter.');
    expect(pages.usersNewRefused.text).toContain('Gunakan paling banyak 1.000 karakter.');
    expect(pages.usersNewRefused.text).toContain('Pilih administrator atau penulis.');
    expect(pages.usersDelete.text).toContain('Hapus Wati?');
    expect(pages.usersDelete.text).toContain('Wati belum menulis pos atau laman.');
    expect(pages.lastAdministrator.text).toContain('adalah satu-satunya administrator.');
    expect(pages.removeSelf.text).toContain('Anda tidak dapat menghapus akun Anda sendiri.');
    expect(pages.removed.text).toContain('Pengguna telah dihapus; pos-posnya sekarang milik The administrator.');
  });
});

describe('the Users and Profile screens in English', () => {
  it('stay English by default, with no catalogue key left showing', async () => {
    const pages = await screens('en');
    for (const [name, page] of Object.entries(pages)) {
      expect(page.text, name).toContain('<html lang="en">');
      expect(page.text, name).not.toMatch(RAW_KEY);
      expect(page.text, name).not.toContain('Pengguna');
    }
    expect(pages.usersNewRefused.text).toContain('Use at most 200 characters.');
    expect(pages.usersDelete.text).toContain('Wati has written no posts or pages.');
    expect(pages.profileRefused.text).not.toContain('wrong password here');
    expect(pages.usersNewRefused.text).not.toContain('x'.repeat(1001));
  });

  it('gives every Indonesian sentence of this area the placeholders of its English one', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(usersId).sort()).toEqual(Object.keys(usersEn).sort());
    for (const [key, english] of Object.entries(usersEn)) {
      expect(usersId[key as keyof typeof usersEn].trim(), key).not.toBe('');
      expect(placeholders(usersId[key as keyof typeof usersEn]), key).toEqual(placeholders(english));
    }
  });
});
