import request from 'supertest';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { adminAgent } from '../support/admin.js';
import { upload } from '../support/admin-media.js';
import { makeTestApp, SEED_PATH, type TestApp } from '../support/app.js';

let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

/** A PNG of 1000×1000 pseudo-random pixels: it does not compress, so it stays about 2.9 MB (3,000,000 bytes of pixels). */
async function noisyPng(): Promise<Buffer> {
  let x = 1;
  const pixels = Buffer.alloc(1000 * 1000 * 3).map(() => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 24);
  return sharp(pixels, { raw: { width: 1000, height: 1000, channels: 3 } }).png().toBuffer();
}

describe('numbers and plurals in the site language', () => {
  it('writes numbers the language’s way and picks plural forms by Intl.PluralRules', () => {
    const en = translator('en');
    const id = translator('id');
    expect(en('search.count.many', { count: 1234 })).toContain('1,234');
    expect(id('search.count.many', { count: 1234 })).toContain('1.234');
    // English has a singular; asked for the plural key with one, it still says the singular.
    expect(en('post.comments.many', { count: 1 })).toBe(en('post.comments.one'));
    expect(en('post.comments.one', { count: 2 })).toBe(en('post.comments.many', { count: 2 }));
    // Indonesian has only "other": one item is said with the number, as any count.
    expect(id('admin.comments.done.approve.one', { count: 1 })).toBe('1 komentar disetujui.');
  });

  it('shows an upload’s size with the language’s decimal separator in the Media list', async () => {
    t = makeTestApp();
    const { agent, csrf } = await adminAgent(t);
    expect((await upload(agent, csrf, await noisyPng(), 'noise.png')).status).toBe(303);
    expect((await agent.get('/admin/media/')).text).toContain('2.9 MB');
    t.services.settings.update({ language: 'id' });
    const list = (await agent.get('/admin/media/')).text;
    expect(list).toContain('2,9 MB');
    expect(list).not.toContain('2.9 MB');
  });
});

describe('an article in a language other than the site’s', () => {
  const articleTags = (html: string) => html.match(/<article\b[^>]*>/g) ?? [];

  it('marks the seed article lang="id" on an English site, on its page and in the list', async () => {
    t = makeTestApp();
    expect(articleTags((await request(t.app).get(SEED_PATH).expect(200)).text)).toEqual(['<article class="entry post" lang="id">']);
    expect(articleTags((await request(t.app).get('/').expect(200)).text)).toEqual(['<article class="entry summary" lang="id">']);
  });

  it('leaves the lang off when the article speaks the site’s language', async () => {
    t = makeTestApp();
    t.services.settings.update({ language: 'id' });
    expect(articleTags((await request(t.app).get(SEED_PATH).expect(200)).text)).toEqual(['<article class="entry post">']);
    expect(articleTags((await request(t.app).get('/').expect(200)).text)).toEqual(['<article class="entry summary">']);
  });
});
