import request from 'supertest';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { dateFormatter, translator } from '../../src/i18n/index.js';
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

describe('dates in the site language and time zone', () => {
  it('says each instant in its zone, the same each time it is asked, past the formatter’s memory too', () => {
    const long = dateFormatter('en', 'Asia/Jakarta', true);
    expect(long('2016-05-12T17:30:00Z')).toMatch(/^May 13, 2016(,| at) 12:30\sAM$/);
    expect(long('2016-05-12T17:30:00Z')).toBe(long('2016-05-12T17:30:00.000Z'));
    expect(dateFormatter('id', 'UTC')('2016-05-12T17:30:00Z')).toBe('12 Mei 2016');
    for (let day = 0; day < 6_000; day++) long(new Date(Date.UTC(2000, 0, 1) + day * 86_400_000).toISOString());
    expect(long('2016-05-12T17:30:00Z')).toMatch(/^May 13, 2016/);
    expect(dateFormatter('en', 'UTC', true)('2016-05-12T17:30:00Z')).toMatch(/^May 12, 2016(,| at) 5:30\sPM$/);
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
