import { describe, expect, it } from 'vitest';
import { slugOfPath } from '../../src/permalinks.js';
import { readableSlug, wordpressSlugFrom } from '../../src/services/slugs.js';

describe('a slug made from a title or name', () => {
  it('spells in ASCII what it can, as before', () => {
    expect(wordpressSlugFrom('Ça déjà vu: Jalan-Jalan ke Bandung')).toBe('ca-deja-vu-jalan-jalan-ke-bandung');
    expect(wordpressSlugFrom('  Mein  Größter Tag ')).toBe('mein-groesster-tag');
  });

  it('keeps what it cannot spell as WordPress does, percent-encoded, next to what it can', () => {
    expect(wordpressSlugFrom('東京')).toBe('%e6%9d%b1%e4%ba%ac');
    // No space between a number and Chinese: no dash either, as in WordPress's slug.
    expect(wordpressSlugFrom('2026年东京')).toBe('2026%e5%b9%b4%e4%b8%9c%e4%ba%ac');
    expect(wordpressSlugFrom('iPhone 15 评测')).toBe('iphone-15-%e8%af%84%e6%b5%8b');
    expect(wordpressSlugFrom('评测: iPhone')).toBe('%e8%af%84%e6%b5%8b-iphone');
    expect(wordpressSlugFrom('东京，大阪')).toBe('%e4%b8%9c%e4%ba%ac-%e5%a4%a7%e9%98%aa');
    expect(wordpressSlugFrom('🍣')).toBe('%f0%9f%8d%a3');
    // Thai vowel signs are marks: they stay with their letters.
    expect(readableSlug(wordpressSlugFrom('ภาษาไทย'))).toBe('ภาษาไทย');
  });

  it('gives nothing for a text with no letter, digit or emoji', () => {
    expect(wordpressSlugFrom('!!! — ???')).toBe('');
  });

  it('stays within 200 characters without cutting a character\'s bytes apart', () => {
    const slug = wordpressSlugFrom('東'.repeat(100));
    expect(slug.length).toBeLessThanOrEqual(200);
    expect(readableSlug(slug)).toBe('東'.repeat(22));
    expect(wordpressSlugFrom(`${'a'.repeat(195)} 東京`)).toBe('a'.repeat(195));
  });

  it('survives a lone surrogate and a very long text', () => {
    expect(wordpressSlugFrom('東\uD800京')).toBe('%e6%9d%b1-%e4%ba%ac');
    const slug = wordpressSlugFrom('東 '.repeat(50_000));
    expect(slug.length).toBeLessThanOrEqual(200);
    expect(readableSlug(slug)).toMatch(/^(東-)+東$/);
  });
});

describe('a slug and its address', () => {
  it('reads the slug an address names, however the browser encoded it', () => {
    expect(slugOfPath('東京')).toBe('%e6%9d%b1%e4%ba%ac');
    expect(slugOfPath('kopi')).toBe('kopi');
  });

  it('shows a slug readable in the editor, and leaves one that is no encoding as it is', () => {
    expect(readableSlug('%e6%9d%b1%e4%ba%ac')).toBe('東京');
    expect(readableSlug('100%-sure')).toBe('100%-sure');
  });
});
