import fc from 'fast-check';
import { defaultTreeAdapter, html, parseFragment, serialize } from 'parse5';
import { describe, expect, it } from 'vitest';
import { renderPost, sanitizePostHtml } from '../../src/services/markdown.js';
import { tagSoup } from '../support/tag-soup.js';

const browserReading = (stored: string) => serialize(parseFragment(defaultTreeAdapter.createElement('body', html.NS.HTML, []), stored, {}));

function expectFixedPoint(stored: string) {
  const reading = browserReading(stored);
  expect(sanitizePostHtml(reading)).toBe(stored);
  expect(browserReading(reading)).toBe(reading);
}

const fromWordPress = (content: string, excerpt = '') => renderPost(content, excerpt, 'html');

/** What a WordPress 6 export holds for a block-editor post (post_content). */
const BLOCK_POST = `<!-- wp:paragraph -->
<p>Tren gaya hidup <strong>IMers</strong> &amp; pasangan.</p>
<!-- /wp:paragraph -->

<!-- wp:more {"customText":"Baca terus"} -->
<!--more Baca terus-->
<!-- /wp:more -->

<!-- wp:heading {"level":3} -->
<h3 class="wp-block-heading">Data</h3>
<!-- /wp:heading -->

<!-- wp:table {"hasFixedLayout":true} -->
<figure class="wp-block-table"><table class="has-fixed-layout"><thead><tr><th>Kota</th><th>Jumlah</th></tr></thead><tbody><tr><td>Bandung</td><td>12</td></tr></tbody></table><figcaption class="wp-element-caption">Pasangan per kota</figcaption></figure>
<!-- /wp:table -->

<!-- wp:latest-posts /-->

<!-- wp:paragraph -->
<p>Penutup
dengan baris.</p>
<!-- /wp:paragraph -->`;

/** A post written in WordPress's classic editor: no block marks, paragraphs as blank lines. */
const CLASSIC_POST = `Halo pembaca.
Baris kedua.

[caption id="attachment_12" align="aligncenter" width="300"]<a href="https://imers.example/full.jpg"><img class="size-medium wp-image-12" src="https://imers.example/kopi.jpg" alt="Kopi" width="300" height="200" /></a> Kopi pagi di <em>Braga</em>[/caption]

Sebelum.<!--more-->
<pre>kode
\tberindentasi

tetap</pre>
[gallery ids="1,2"] tetap teks.`;

describe('renderPost for WordPress HTML (source format html)', () => {
  it('renders a block-editor post with its markup as written: block comments gone, no paragraphs added', () => {
    const { bodyHtml } = fromWordPress(BLOCK_POST);
    expect(bodyHtml).not.toContain('wp:');
    expect(bodyHtml).not.toContain('<!--');
    expect(bodyHtml).toContain('<p>Tren gaya hidup <strong>IMers</strong> &amp; pasangan.</p>');
    expect(bodyHtml).toContain('<h3>Data</h3>');
    // Block content gets no wpautop: the newline in the last paragraph stays a newline.
    expect(bodyHtml).toContain('<p>Penutup\ndengan baris.</p>');
    expect(bodyHtml).not.toContain('<br');
    expectFixedPoint(bodyHtml);
  });

  it('keeps a table block in its figure, with its header and its caption', () => {
    const { bodyHtml } = fromWordPress(BLOCK_POST);
    expect(bodyHtml).toContain(
      '<figure><table><thead><tr><th>Kota</th><th>Jumlah</th></tr></thead><tbody><tr><td>Bandung</td><td>12</td></tr></tbody></table><figcaption>Pasangan per kota</figcaption></figure>',
    );
  });

  it('takes the excerpt from above <!--more--> inside a wp:more block, and shows the whole post on its page', () => {
    const post = fromWordPress(BLOCK_POST);
    expect(post.excerptHtml).toBe('<p>Tren gaya hidup <strong>IMers</strong> &amp; pasangan.</p>');
    expect(post.bodyText).toContain('Penutup dengan baris.');
    expect(fromWordPress(BLOCK_POST, 'Ringkasan sendiri').excerptHtml).toBe('<p>Ringkasan sendiri</p>');
  });

  it('gives a classic post WordPress paragraphs and line breaks, and its excerpt from above <!--more-->', () => {
    const post = fromWordPress(CLASSIC_POST);
    expect(post.bodyHtml).toMatch(/^<p>Halo pembaca\.<br \/>\nBaris kedua\.<\/p>\n/);
    expect(post.bodyHtml).toContain('<p>Sebelum.</p>');
    expect(post.excerptHtml).not.toContain('Sebelum. kode');
    expect(post.excerptHtml).toContain('<p>Sebelum.</p>');
    expect(post.excerptHtml).not.toContain('kode');
    expectFixedPoint(post.bodyHtml);
    expectFixedPoint(post.excerptHtml);
  });

  it('makes [caption] a figure with its figcaption, the image still in its link', () => {
    expect(fromWordPress(CLASSIC_POST).bodyHtml).toContain(
      '<figure><a href="https://imers.example/full.jpg"><img src="https://imers.example/kopi.jpg" alt="Kopi" width="300" height="200" loading="eager" decoding="async" /></a><figcaption>Kopi pagi di <em>Braga</em></figcaption></figure>',
    );
    expect(fromWordPress('[caption caption="Dari atribut"]<img src="https://imers.example/a.jpg" />[/caption]').bodyHtml).toBe(
      '<figure><img src="https://imers.example/a.jpg" loading="eager" decoding="async" /><figcaption>Dari atribut</figcaption></figure>',
    );
  });

  it('leaves <pre> untouched: no paragraphs, no line breaks, its indentation and blank line kept', () => {
    expect(fromWordPress(CLASSIC_POST).bodyHtml).toContain('<pre tabindex="0">kode\n\tberindentasi\n\ntetap</pre>');
  });

  it('leaves any other shortcode as the text it is', () => {
    expect(fromWordPress(CLASSIC_POST).bodyHtml).toContain('<p>[gallery ids="1,2"] tetap teks.</p>');
  });

  it('keeps a bare & as text, as WordPress shows it', () => {
    expect(fromWordPress('AT&T &copy2020 &amp; &eacute;').bodyHtml).toBe('<p>AT&amp;T &amp;copy2020 &amp; é</p>');
  });

  it('is a fixed point for any tag soup, body and excerpt, classic or block, and never throws', () => {
    const part = fc.oneof(tagSoup, fc.constantFrom('\n\n', '<!-- wp:paragraph -->', '<!-- /wp:paragraph -->', '[caption]', '[/caption]', '<pre>', '</pre>', '&', '<br><br>'));
    fc.assert(
      fc.property(fc.array(part, { maxLength: 8 }), fc.array(part, { maxLength: 8 }), (before, after) => {
        const post = fromWordPress(`${before.join('')}<!--more-->${after.join('')}`);
        expectFixedPoint(post.bodyHtml);
        expectFixedPoint(post.excerptHtml);
      }),
      { numRuns: 400 },
    );
  });
});

describe('renderPost for Markdown (the default)', () => {
  it('still reads Markdown, not WordPress HTML', () => {
    expect(renderPost('Satu\ndua').bodyHtml).toBe('<p>Satu\ndua</p>\n');
    expect(renderPost('Satu\ndua', '', 'html').bodyHtml).toBe('<p>Satu<br />\ndua</p>');
  });
});
