import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { adminAgent } from '../support/admin.js';
import { settingsHelpers } from '../support/admin-settings.js';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});
const { admin } = settingsHelpers(() => t, (app) => { t = app; });

const SCREEN = '/admin/settings/fediverse/';
/** The tab's form as a fresh install fills it in. */
const FORM = { fediverseEnabled: '1', fediverseHandle: 'blog', blockedAccounts: '', blockedDomains: '' };

describe('Settings → Fediverse', () => {
  it('starts on, with the handle @blog@ the site’s host, and is a tab beside the others', async () => {
    const { agent } = await admin();
    const page = await agent.get(SCREEN).expect(200);
    expect(page.text).toContain('<h1>Fediverse Settings</h1>');
    expect(page.text).toContain(`href="${SCREEN}" aria-current="page"`);
    expect(page.text).toMatch(/id="fediverseEnabled" name="fediverseEnabled" value="1"[^>]* checked>/);
    expect(page.text).toContain('value="blog"');
    expect(page.text).toContain('@blog.test</span>');
    expect((await agent.get('/admin/settings/').expect(200)).text).toContain(`href="${SCREEN}"`);
    expect(t!.services.settings.fediverseAccount()).toEqual({ user: 'blog', host: 'blog.test', handle: '@blog@blog.test' });
  });

  it('saves on/off and the handle', async () => {
    const { agent, save } = await admin();
    const res = await save(SCREEN, { ...FORM, fediverseEnabled: [], fediverseHandle: ' notes.by_ann-1 ' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${SCREEN}?saved=1`);
    expect(t!.services.settings.get()).toMatchObject({ fediverseEnabled: false, fediverseHandle: 'notes.by_ann-1' });
    expect(t!.services.settings.fediverseAccount().handle).toBe('@notes.by_ann-1@blog.test');
    const page = await agent.get(res.headers.location).expect(200);
    expect(page.text).toContain('Settings saved.');
    expect(page.text).not.toMatch(/name="fediverseEnabled" value="1"[^>]* checked/);
    await save(SCREEN, { ...FORM, fediverseHandle: 'notes' }).expect(303);
    expect(t!.services.settings.get().fediverseEnabled).toBe(true);
  });

  it('refuses a bad handle, keeping what was typed and storing nothing', async () => {
    const { save } = await admin();
    for (const handle of ['', 'ann smith', 'ann@example.org', '<b>x</b>', 'a'.repeat(65)]) {
      const res = await save(SCREEN, { ...FORM, fediverseHandle: handle, blockedDomains: 'spam.example' });
      expect(res.status).toBe(422);
      expect(res.text).toContain('Use 1 to 64 letters, digits, _, . or -.');
      expect(res.text).toContain('aria-invalid="true"');
      if (handle === '<b>x</b>') expect(res.text).toContain('value="&lt;b&gt;x&lt;/b&gt;"');
      expect(res.text).toContain('>spam.example</textarea>');
    }
    expect(t!.services.settings.get().fediverseHandle).toBe('blog');
    expect(t!.services.fediBlocks.list().domains).toEqual([]);
  });

  it('saves the blocked accounts and instances, one a line, normalised', async () => {
    const { agent, save } = await admin();
    await save(SCREEN, {
      ...FORM,
      blockedAccounts: '@Troll@Social.Example\r\n\r\n  https://other.example/users/Spammer  \nbot@mastodon.example',
      blockedDomains: 'Spam.Example\nbad.example\n',
    }).expect(303);
    const { fediBlocks } = t!.services;
    expect(fediBlocks.list()).toEqual({
      accounts: ['@bot@mastodon.example', '@troll@social.example', 'https://other.example/users/Spammer'],
      domains: ['bad.example', 'spam.example'],
    });
    expect(fediBlocks.isBlocked('https://eu.spam.example/users/x')).toBe(true);
    expect(fediBlocks.isBlocked('https://social.example/users/troll', '@troll@social.example')).toBe(true);
    const page = await agent.get(SCREEN).expect(200);
    expect(page.text).toContain('>@bot@mastodon.example\n@troll@social.example\nhttps://other.example/users/Spammer</textarea>');
    // Emptying a list unblocks them.
    await save(SCREEN, { ...FORM, blockedDomains: 'bad.example' }).expect(303);
    expect(fediBlocks.list()).toEqual({ accounts: [], domains: ['bad.example'] });
  });

  it('names the bad lines of a block list, keeps the text and stores nothing', async () => {
    const { save } = await admin();
    await save(SCREEN, { ...FORM, blockedDomains: 'old.example' }).expect(303);
    const res = await save(SCREEN, { ...FORM, fediverseHandle: 'news', blockedAccounts: '@ok@ok.example\nnot an account', blockedDomains: 'good.example\nhttps://bad.example/x\nok.example' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Not an account (@user@instance or an https:// address): “not an account”. Nothing was saved.');
    expect(res.text).toContain('Not a host name: “https://bad.example/x”. Nothing was saved.');
    expect(res.text).toContain('>@ok@ok.example\nnot an account</textarea>');
    expect(t!.services.fediBlocks.list()).toEqual({ accounts: [], domains: ['old.example'] });
    expect(t!.services.settings.get().fediverseHandle).toBe('blog');
  });

  it('imports a Mastodon CSV export of domain blocks and a plain list of accounts, adding to the lists', async () => {
    const { agent, csrf, save } = await admin();
    await save(SCREEN, { ...FORM, blockedDomains: 'old.example' }).expect(303);
    const csv = '#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\nspam.example,suspend,false,false,"spam, and more",false\nold.example,silence,false,false,,false\n';
    const res = await agent.post(`${SCREEN}import/`).field('_csrf', csrf).field('kind', 'domain')
      .attach('file', Buffer.from(csv), { filename: 'domain_blocks.csv', contentType: 'text/csv' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${SCREEN}?imported=1`);
    expect((await agent.get(res.headers.location)).text).toContain('One new block added.');
    await agent.post(`${SCREEN}import/`).field('_csrf', csrf).field('kind', 'account')
      .attach('file', Buffer.from('troll@social.example\nhttps://x.example/users/a\n'), { filename: 'blocked_accounts.csv', contentType: 'text/csv' })
      .expect(303);
    expect(t!.services.fediBlocks.list()).toEqual({ accounts: ['@troll@social.example', 'https://x.example/users/a'], domains: ['old.example', 'spam.example'] });
  });

  it('refuses an import with a bad line, naming it, and an import without a file', async () => {
    const { agent, csrf } = await admin();
    const bad = await agent.post(`${SCREEN}import/`).field('_csrf', csrf).field('kind', 'domain')
      .attach('file', Buffer.from('good.example\nnot a domain!\n'), { filename: 'list.txt', contentType: 'text/plain' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Not a host name: “not a domain!”. Nothing was saved.');
    const none = await agent.post(`${SCREEN}import/`).field('_csrf', csrf).field('kind', 'domain');
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choose a file that is not empty.');
    expect(t!.services.fediBlocks.list().domains).toEqual([]);
  });

  it('speaks Indonesian when the site does', async () => {
    const { agent, save } = await admin();
    t!.services.settings.update({ language: 'id' });
    expect((await agent.get(SCREEN).expect(200)).text).toContain('<h1>Pengaturan Fediverse</h1>');
    const res = await save(SCREEN, { ...FORM, fediverseHandle: 'a b' });
    expect(res.text).toContain('Pakai 1 sampai 64 huruf, angka, _, . atau -.');
  });

  it('is refused to authors and to forms without the token', async () => {
    t = makeTestApp();
    const author = await adminAgent(t, 'author');
    expect((await author.agent.get(SCREEN)).status).toBe(403);
    expect((await author.agent.post(SCREEN).type('form').send({ _csrf: author.csrf, ...FORM, fediverseEnabled: [] })).status).toBe(403);
    expect((await author.agent.post(`${SCREEN}import/`).field('_csrf', author.csrf).field('kind', 'domain')
      .attach('file', Buffer.from('x.example'), { filename: 'l.txt', contentType: 'text/plain' })).status).toBe(403);
    const { agent } = await adminAgent(t, 'administrator');
    expect((await agent.post(SCREEN).type('form').send({ ...FORM, fediverseEnabled: [] })).status).toBe(403);
    expect((await agent.post(`${SCREEN}import/`).field('_csrf', 'forged').field('kind', 'domain')
      .attach('file', Buffer.from('x.example'), { filename: 'l.txt', contentType: 'text/plain' })).status).toBe(403);
    expect((await request(t.app).post(SCREEN).type('form').send(FORM)).status).toBe(403);
    expect(t.services.settings.get().fediverseEnabled).toBe(true);
    expect(t.services.fediBlocks.list().domains).toEqual([]);
  });
});
