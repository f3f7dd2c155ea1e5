import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { commonEn } from '../../src/i18n/admin/common.en.js';
import { commonId } from '../../src/i18n/admin/common.id.js';
import { adminAgent, createAccount, PASSWORD, RAW_KEY } from '../support/admin.js';
import { upload } from '../support/admin-media.js';
import { DISCUSSION, GENERAL } from '../support/admin-settings.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { PNG } from '../fixtures/images.js';

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});


/** A fresh blog in the given language, with an administrator logged in who has uploaded one image. */
async function blogIn(language: 'en' | 'id') {
  t = makeTestApp({ setupToken: 'the-printed-token' });
  if (language !== 'en') expect(t.services.settings.update({ language })).toEqual({});
  const login = await request(t.app).get('/admin/login/');
  const setup = await request(t.app).get('/admin/setup/');
  const { agent, csrf } = await adminAgent(t);
  await upload(agent, csrf, PNG, 'tiny-photo.png');
  return { app: t, agent, csrf, login, setup };
}

/** Every screen of the shared admin area, as a logged-in administrator (and, before that, a visitor) sees it. */
async function screens(language: 'en' | 'id') {
  const { agent, login, setup } = await blogIn(language);
  return {
    login,
    setup,
    media: await agent.get('/admin/media/'),
    mediaDelete: await agent.get('/admin/media/1/delete/'),
    general: await agent.get('/admin/settings/'),
    discussion: await agent.get('/admin/settings/discussion/'),
    mediaSettings: await agent.get('/admin/settings/media/'),
  };
}

describe('the shared admin screens in Bahasa Indonesia', () => {
  it('speak Indonesian on every screen, with no catalogue key left showing', async () => {
    const pages = await screens('id');
    for (const [name, page] of Object.entries(pages)) {
      expect(page.status, name).toBe(200);
      expect(page.text, name).toContain('<html lang="id">');
      expect(page.text, name).toContain('Langsung ke konten');
      expect(page.text, name).not.toMatch(RAW_KEY);
    }
    expect(pages.login.text).toContain('Kata Sandi');
    expect(pages.login.text).toContain('<button type="submit" class="button-primary">Masuk</button>');
    expect(pages.setup.text).toContain('Token penyiapan');
    expect(pages.setup.text).toContain('Buat akun');
    for (const label of ['Dasbor', 'Pos', 'Laman', 'Media', 'Komentar', 'Pengaturan', 'Keluar']) expect(pages.media.text).toContain(`>${label}</`);
    expect(pages.media.text).toContain('Pustaka Media ‹ IMers Blog — Admin');
    expect(pages.media.text).toContain('1 gambar');
    expect(pages.media.text).toMatch(/>\d+ byte · /);
    expect(pages.media.text).toContain('Tambah gambar baru');
    expect(pages.mediaDelete.text).toContain('Hapus “tiny-photo.png” secara permanen?');
    expect(pages.mediaDelete.text).toContain('Hapus Permanen');
    expect(pages.general.text).toContain('<h1>Pengaturan Umum</h1>');
    expect(pages.general.text).toContain('Zona Waktu');
    expect(pages.general.text).toContain('Cookie aman dan HSTS tetap ditentukan oleh <code>PUBLIC_URL</code>');
    // The languages are named in themselves, whatever the site speaks.
    expect(pages.general.text).toContain('<option value="en" lang="en">English</option>');
    expect(pages.discussion.text).toContain('Moderasi Komentar');
    expect(pages.mediaSettings.text).toContain('Ukuran maksimum berkas unggahan');
    expect(pages.mediaSettings.text).toContain('Simpan Perubahan');
  });

  it('refuses a settings form in Indonesian, field by field', async () => {
    const { agent, csrf } = await blogIn('id');
    const general = await agent.post('/admin/settings/').type('form')
      .send({ _csrf: csrf, ...GENERAL, language: 'id', title: ' ', postsPerPage: '0', timeZone: 'Mars/Olympus' });
    expect(general.status).toBe(422);
    expect(general.text).toContain('Pengaturan tidak disimpan.');
    expect(general.text).toContain('<span class="error" id="title-error">Masukkan judul situs.</span>');
    expect(general.text).toContain('<span class="error" id="postsPerPage-error">Masukkan bilangan bulat dari 1 sampai 100.</span>');
    expect(general.text).toContain('<optgroup label="Pengaturan saat ini">');
    expect(general.text).not.toMatch(RAW_KEY);
    const discussion = await agent.post('/admin/settings/discussion/').type('form')
      .send({ _csrf: csrf, ...DISCUSSION, threadDepth: '1', moderationLinks: 'x' });
    expect(discussion.status).toBe(422);
    expect(discussion.text).toContain('Pilih dari 2 sampai 10 tingkat, atau hapus centang kotaknya.');
    expect(discussion.text).toContain('Masukkan bilangan bulat dari 0 sampai 100.');
    expect(discussion.text).not.toMatch(RAW_KEY);
    const saved = await agent.get('/admin/settings/?saved=1');
    expect(saved.text).toContain('Pengaturan disimpan.');
  });

  it('refuses a login, a setup form and an upload in Indonesian', async () => {
    const { app, agent, csrf } = await blogIn('id');
    const wrong = await request(app.app).post('/admin/login/').type('form').send({ email: 'nobody@example.org', password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Email atau kata sandi salah.');
    const empty = await upload(agent, csrf, Buffer.alloc(0), 'empty.png');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Berkas ini kosong. Pilih gambar yang akan diunggah.');
    expect(empty.text).not.toMatch(RAW_KEY);
    const uploaded = await agent.get('/admin/media/?uploaded=1');
    expect(uploaded.text).toContain('“tiny-photo.png” telah diunggah.');

    t!.close();
    t = makeTestApp({ setupToken: 'tok' });
    t.services.settings.update({ language: 'id' });
    const bad = await request(t.app).post('/admin/setup/').type('form').send({ name: '', email: 'nope', password: 'short', token: 'tok' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Masukkan alamat email.');
    expect(bad.text).toContain('Gunakan sedikitnya 12 karakter.');
    expect(bad.text).not.toMatch(RAW_KEY);
    createAccount(t);
    const closed = await request(t.app).get('/admin/setup/');
    expect(closed.text).toContain('Blog ini sudah disiapkan');
    expect(closed.text).toContain('<code>npm run user:create</code>');
  });
});

describe('the shared admin screens in English', () => {
  it('stay English by default', async () => {
    const pages = await screens('en');
    for (const [name, page] of Object.entries(pages)) {
      expect(page.status, name).toBe(200);
      expect(page.text, name).toContain('<html lang="en">');
      expect(page.text, name).toContain('Skip to content');
      expect(page.text, name).not.toMatch(RAW_KEY);
      expect(page.text, name).not.toContain('Langsung ke konten');
    }
    expect(pages.media.text).toContain('Media Library ‹ IMers Blog — Admin');
    expect(pages.media.text).toContain('<p class="muted">1 image</p>');
    expect(pages.media.text).toContain('>Log out</button>');
    expect(pages.general.text).toContain('<h1>General Settings</h1>');
    expect(pages.setup.text).toContain('Password (12 characters or more)');
  });

  it('gives every Indonesian sentence of this area the placeholders of its English one', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(commonId).sort()).toEqual(Object.keys(commonEn).sort());
    for (const [key, english] of Object.entries(commonEn)) {
      expect(commonId[key as keyof typeof commonEn].trim(), key).not.toBe('');
      expect(placeholders(commonId[key as keyof typeof commonEn]), key).toEqual(placeholders(english));
    }
  });
});
