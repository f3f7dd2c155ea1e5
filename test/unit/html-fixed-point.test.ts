import fc from 'fast-check';
import { defaultTreeAdapter, html, parseFragment, serialize } from 'parse5';
import { describe, expect, it } from 'vitest';
import { sanitizeComment, sanitizeCommentHtml } from '../../src/services/comment-html.js';
import { settleHtml } from '../../src/services/html-fixed-point.js';
import { renderPost, sanitizePostHtml } from '../../src/services/markdown.js';
import { tagSoup } from '../support/tag-soup.js';

/** What a browser makes of stored HTML placed in the page's body: parse5's tree, written out again. */
const browserReading = (stored: string) => serialize(parseFragment(defaultTreeAdapter.createElement('body', html.NS.HTML, []), stored, {}));

/** Stored HTML is a fixed point: sanitizing the browser's reading gives the same bytes, and a second reading changes nothing. */
function expectFixedPoint(stored: string, sanitize: (html: string) => string) {
  const reading = browserReading(stored);
  expect(sanitize(reading)).toBe(stored);
  expect(browserReading(reading)).toBe(reading);
}

const MUTATING = '<p><li><table><li></li>a<a>a</a></table></li></p>';

describe('renderPost: stored HTML a browser reads as written', () => {
  it('stores the tree a browser builds from tag soup, not the soup', () => {
    const { bodyHtml } = renderPost(MUTATING);
    expect(bodyHtml).toBe('<p></p><li></li><li></li>a<a>a</a><table></table><p></p>');
    expectFixedPoint(bodyHtml, sanitizePostHtml);
  });

  it('keeps no newline after <pre> that each reading would drop one more of', () => {
    const { bodyHtml } = renderPost('<pre>\n\n\nline</pre>');
    expect(bodyHtml).toBe('<pre tabindex="0">line</pre>');
    expectFixedPoint(bodyHtml, sanitizePostHtml);
  });

  it('gives excerpts the same guarantee', () => {
    expectFixedPoint(renderPost('Body', 'It\u2019s "quoted" & <b>bold</b>, it\'s\u00a0so').excerptHtml, sanitizePostHtml);
    expectFixedPoint(renderPost(`${MUTATING}\n\n<!--more-->\n\nrest`).excerptHtml, sanitizePostHtml);
  });

  it('is a fixed point for any tag soup, body and excerpt', () => {
    fc.assert(
      fc.property(tagSoup, tagSoup, (before, after) => {
        const post = renderPost(`${before}\n\n<!--more-->\n\n${after}`);
        expectFixedPoint(post.bodyHtml, sanitizePostHtml);
        expectFixedPoint(post.excerptHtml, sanitizePostHtml);
      }),
      { numRuns: 400 },
    );
  });
});

describe('sanitizeComment: stored HTML a browser reads as written', () => {
  it('stores nested links as the two links a browser makes of them', () => {
    const stored = sanitizeComment('<a href="https://a.example/">x<a href="https://b.example/">y</a></a>');
    expect(stored).toBe('<p><a href="https://a.example/" rel="nofollow ugc">x</a><a href="https://b.example/" rel="nofollow ugc">y</a></p>');
    expectFixedPoint(stored, sanitizeCommentHtml);
  });

  it('is a fixed point for any tag soup', () => {
    fc.assert(
      fc.property(tagSoup, (soup) => expectFixedPoint(sanitizeComment(soup), sanitizeCommentHtml)),
      { numRuns: 400 },
    );
  });

  it('is a fixed point for any text without markup, which skips the sanitizer', () => {
    // Any UTF-16 code unit (lone surrogates, controls, every space and newline), with the ones that shape paragraphs
    // made common; the characters that begin markup or an entity, and NUL, send a text through the sanitizer instead.
    const unit = fc.oneof(fc.constantFrom('\n', '\r', ' ', '\t', '\f', '\v', '\u00a0', '\u2028', '\ufeff', '"', "'", '='), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
    const plain = fc.string({ unit, maxLength: 60 }).filter((text) => !/[<>&\0]/.test(text));
    fc.assert(
      fc.property(plain, (text) => {
        const stored = sanitizeComment(text);
        expectFixedPoint(stored, sanitizeCommentHtml);
        expect(stored).toBe(settleHtml(stored, sanitizeCommentHtml));
      }),
      { numRuns: 3000 },
    );
  });
});
