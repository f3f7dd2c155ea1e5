import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeComment } from '../../src/services/comment-html.js';

describe('sanitizeComment', () => {
  it('keeps the allowed inline markup and makes paragraphs and line breaks', () => {
    expect(sanitizeComment('Hello <strong>you</strong>\nsecond line\n\n<em>New</em> paragraph')).toBe(
      '<p>Hello <strong>you</strong><br />\nsecond line</p>\n<p><em>New</em> paragraph</p>',
    );
  });

  it('gives every link rel="nofollow ugc" and drops scripts and handlers', () => {
    const html = sanitizeComment('<a href="https://example.org" rel="me" onclick="x()">site</a><script>alert(1)</script>');
    expect(html).toBe('<p><a href="https://example.org" rel="nofollow ugc">site</a></p>');
  });

  it('drops javascript: links however they are spelled', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'jav&#x09;ascript:alert(1)', ' javascript:alert(1)', 'data:text/html,x']) {
      expect(sanitizeComment(`<a href="${href}">x</a>`)).not.toMatch(/href/);
    }
  });

  it('keeps only absolute http(s) and mailto links', () => {
    expect(sanitizeComment('<a href="/wp-admin/">x</a> <a href="mailto:a@example.org">m</a>')).toBe(
      '<p><a rel="nofollow ugc">x</a> <a href="mailto:a@example.org" rel="nofollow ugc">m</a></p>',
    );
  });

  it('drops tags nested deeper than 20 levels', () => {
    const html = sanitizeComment(`${'<b>'.repeat(1000)}deep${'</b>'.repeat(1000)}`);
    expect(html.match(/<b>/g)!.length).toBeLessThanOrEqual(20);
    expect(html).toContain('deep');
  });

  it('escapes a lone angle bracket instead of losing the text', () => {
    expect(sanitizeComment('if a < b then')).toBe('<p>if a &lt; b then</p>');
  });

  it('makes a quote a block with its own paragraphs, as WordPress does, leaving no empty paragraph around it', () => {
    expect(sanitizeComment('a\n\n<blockquote>q</blockquote>\n\n')).toBe('<p>a</p>\n<blockquote>\n<p>q</p>\n</blockquote>');
    expect(sanitizeComment('said:\n<blockquote>one\n\ntwo</blockquote>after')).toBe('<p>said:</p>\n<blockquote>\n<p>one</p>\n<p>two</p>\n</blockquote>\n<p>after</p>');
  });

  it('closes tags left open across paragraphs', () => {
    expect(sanitizeComment('<b>bold\n\nstill')).toBe('<p><b>bold</b></p>\n<p>still</p>');
  });

  it('stores text without markup as the whole allow-list would (such text skips it)', () => {
    // Spaces of every kind, line breaks, quotes, entity-like and tag-like characters short of the markup ones.
    const plain = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\n', '\r', '\t', '\u00a0', '\u200b', '"', "'", '=', '/', ';', '#', '\u{1F600}', 'é', 'ن') });
    fc.assert(
      fc.property(plain, (text) => {
        // A script and its content are all the allow-list removes, so this sends the same text through it.
        expect(sanitizeComment(text)).toBe(sanitizeComment(`${text}<script></script>`));
      }),
      { numRuns: 500 },
    );
    expect(sanitizeComment('Tulisan "bagus"\r\n\r\nterima kasih\n')).toBe('<p>Tulisan "bagus"</p>\n<p>terima kasih</p>');
  });
});
