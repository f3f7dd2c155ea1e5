import fc from 'fast-check';
import { defaultTreeAdapter, html, parseFragment, serialize } from 'parse5';
import { describe, expect, it } from 'vitest';
import { sanitizeCommentHtml } from '../../src/services/comment-html.js';
import { settleHtml } from '../../src/services/html-fixed-point.js';
import { wpautop, wpAutopComment } from '../../src/services/wp-autop.js';
import { tagSoup } from '../support/tag-soup.js';

const browserReading = (stored: string) => serialize(parseFragment(defaultTreeAdapter.createElement('body', html.NS.HTML, []), stored, {}));

/** A comment's text as the importer stores it: WordPress's paragraphs, then the comment allow-list, settled. */
const storedComment = (text: string) => settleHtml(sanitizeCommentHtml(wpAutopComment(text)), sanitizeCommentHtml);

describe('wpautop', () => {
  it('makes paragraphs of blank-line-separated text and <br /> of single newlines, as WordPress shows a classic post', () => {
    expect(wpautop('Pagi di Bandung.\r\nHujan turun.\r\n\r\n\r\nSore cerah.\n')).toBe(
      '<p>Pagi di Bandung.<br />\nHujan turun.</p>\n<p>Sore cerah.</p>',
    );
  });

  it('puts no paragraph around block elements, and none of their own newlines become <br />', () => {
    const text = 'Daftar:\n<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>\nSelesai.\n<table><tr><td>sel\nbaris</td></tr></table>';
    expect(wpautop(text)).toBe(
      '<p>Daftar:</p>\n<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>\n<p>Selesai.</p>\n<table>\n<tr>\n<td>sel<br />\nbaris</td>\n</tr>\n</table>',
    );
  });

  it('leaves what is inside <pre> exactly as written', () => {
    const code = '<pre class="x">if (a) {\n\n  b();\n}\n</pre>';
    expect(wpautop(`Kode:\n${code}\nLagi.`)).toBe(`<p>Kode:</p>\n${code}\n<p>Lagi.</p>`);
  });

  it('keeps newlines inside a tag out of the line breaks', () => {
    expect(wpautop('<a\nhref="https://example.org/">tautan</a>\nbaris')).toBe('<p><a\nhref="https://example.org/">tautan</a><br />\nbaris</p>');
  });

  it('moves the paragraph inside a blockquote, and reads <br><br> as a blank line', () => {
    expect(wpautop('<blockquote>kutipan\nbaris</blockquote>')).toBe('<blockquote><p>kutipan<br />\nbaris</p></blockquote>');
    expect(wpautop('satu<br><br>dua')).toBe('<p>satu</p>\n<p>dua</p>');
  });

  it('gives nothing for blank text', () => {
    expect(wpautop(' \n\n \t\n')).toBe('');
  });

  it('answers at once for hostile input: unclosed <pre>, endless blank lines, tags that never end', () => {
    const hostile = ['<pre>'.repeat(50_000), '\n \n'.repeat(100_000), '<a'.repeat(100_000), '[caption '.repeat(50_000), '<!--'.repeat(50_000)].join('x');
    const started = performance.now();
    wpautop(hostile);
    wpAutopComment(hostile);
    expect(performance.now() - started).toBeLessThan(5000); // a quadratic pass over these 1.5 MB would take minutes
  });
});

describe('wpAutopComment', () => {
  it('makes a WordPress comment paragraphs and line breaks, a bare & staying the text it was', () => {
    const stored = storedComment('Tom & Jerry, AT&T, &copy2020 &amp; &#169;\nbaris dua\n\n<em>paragraf</em> kedua');
    expect(stored).toBe('<p>Tom &amp; Jerry, AT&amp;T, &amp;copy2020 &amp; ©<br />\nbaris dua</p>\n<p><em>paragraf</em> kedua</p>');
  });

  it('is stored as a fixed point of the comment allow-list, and never throws, whatever the text', () => {
    const text = fc.oneof(tagSoup, fc.string({ unit: fc.constantFrom('a', '&', '\n', ' ', '<', '>', '/', 'p', ';', '#', 'b', 'r') }));
    fc.assert(
      fc.property(text, (input) => {
        const stored = storedComment(input);
        const reading = browserReading(stored);
        expect(sanitizeCommentHtml(reading)).toBe(stored);
        expect(browserReading(reading)).toBe(reading);
      }),
      { numRuns: 400 },
    );
  });
});
