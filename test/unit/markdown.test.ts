import { describe, expect, it } from 'vitest';
import { firstWords, htmlToText, renderPost } from '../../src/services/markdown.js';

describe('renderPost', () => {
  it('renders headings, lists, tables, code, images and links', () => {
    const { bodyHtml } = renderPost(
      '## Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nlet x = 1;\n```\n\n![alt](https://img.example/a.png) [link](https://example.org "t")',
    );
    expect(bodyHtml).toContain('<h2>Title</h2>');
    expect(bodyHtml).toContain('<li>one</li>');
    expect(bodyHtml).toContain('<table>');
    expect(bodyHtml).toContain('<code class="hljs language-js">');
    expect(bodyHtml).toContain('<img src="https://img.example/a.png" alt="alt" loading="eager" decoding="async" />');
    expect(bodyHtml).toContain('<a href="https://example.org" title="t">link</a>');
  });

  it.each([
    ['<script>alert(1)</script>', /<script/i],
    ['<img src=x onerror="alert(1)">', /onerror/i],
    ['[x](javascript:alert(1))', /javascript:/i],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', /ascript:/i],
    ['<iframe src="https://evil.example"></iframe>', /<iframe/i],
    ['<form action="/x"><input name="a"></form>', /<form|name="a"/i],
    ['<div style="background:url(x)" onclick="x()">y</div>', /style=|onclick/i],
    ['![x](data:image/svg+xml;base64,PHN2Zz4=)', /data:/i],
    ['<svg><script>alert(1)</script></svg>', /<svg|<script/i],
  ])('strips what could run: %s', (markdown, forbidden) => {
    expect(renderPost(markdown).bodyHtml).not.toMatch(forbidden);
  });

  it('uses the first 55 words as the excerpt when there is no <!--more-->', () => {
    const words = Array.from({ length: 80 }, (_, i) => `w${i}`).join(' ');
    const { excerptHtml } = renderPost(words);
    expect(excerptHtml).toBe(`<p>${Array.from({ length: 55 }, (_, i) => `w${i}`).join(' ')}…</p>`);
  });

  it('keeps the divs and sections a WordPress post groups its lines in, without their attributes', () => {
    const { bodyHtml } = renderPost('<div class="line" style="color:red">First line.</div>\n<section id="x">Second line.</section>', '', 'html');
    expect(bodyHtml).toContain('<div>First line.</div>');
    expect(bodyHtml).toContain('<section>Second line.</section>');
  });

  it('numbers footnotes and lists them at the end, linked both ways, without their numbers in the text or the excerpt', () => {
    const { bodyHtml, bodyText, excerptHtml } = renderPost('Teks pertama[^1] dan kedua[^note].\n\n[^1]: Catatan satu.\n[^note]: Catatan **dua**.\n\nParagraf akhir.');
    expect(bodyHtml).toContain('<p>Teks pertama<sup><a href="#fn-1" id="fn-ref-1">1</a></sup> dan kedua<sup><a href="#fn-note" id="fn-ref-note">2</a></sup>.</p>');
    expect(bodyHtml).toContain('<section class="footnotes">');
    expect(bodyHtml).toContain('<li id="fn-1">\n<p>Catatan satu. <a href="#fn-ref-1">↩</a></p>');
    expect(bodyHtml).toContain('<li id="fn-note">\n<p>Catatan <strong>dua</strong>. <a href="#fn-ref-note">↩</a></p>');
    // The list's heading is English whatever the blog's language: left out.
    expect(bodyHtml).not.toContain('<h2');
    expect(bodyText).toBe('Teks pertama dan kedua. Paragraf akhir. Catatan satu. Catatan dua.');
    expect(excerptHtml).toBe('<p>Teks pertama dan kedua. Paragraf akhir.</p>');
  });

  it('keeps no id but a footnote\'s: a post cannot take an id the page uses', () => {
    const { bodyHtml } = renderPost('<a id="respond" href="#x">x</a> <span id="comment">y</span> <a id="fn-ref-9" href="#fn-9">9</a>', '', 'html');
    expect(bodyHtml).not.toMatch(/id="(respond|comment)"/);
    expect(bodyHtml).toContain('<a href="#fn-9" id="fn-ref-9">9</a>');
  });

  it('prefers the author’s own excerpt, escaped', () => {
    expect(renderPost('Body', 'Mine & <b>yours</b>').excerptHtml).toBe('<p>Mine &amp; &lt;b&gt;yours&lt;/b&gt;</p>');
  });
});

describe('htmlToText', () => {
  it('keeps words of neighbouring blocks apart and decodes entities', () => {
    expect(htmlToText('<h2>One</h2><p>Two &amp; three</p>')).toBe('One Two & three');
  });

  it('keeps a block\'s words apart from the block inside or after it: a list item and its code, a nested list, a caption', () => {
    expect(renderPost('- use a `div`\n  ```js\n  const x = 1;\n  ```').bodyText).toBe('use a div const x = 1;');
    expect(renderPost('<li>one<ul><li>two</li></ul></li>').bodyText).toBe('one two');
    expect(renderPost('<table><caption>Cap</caption><tr><td>x</td></tr></table>').bodyText).toBe('Cap x');
    expect(renderPost('<div>alpha</div><div>beta</div>', '', 'html').bodyText).toBe('alpha beta');
  });
});

describe('firstWords (a page’s description)', () => {
  it('takes the first words across any whitespace, with an ellipsis only when it cut', () => {
    expect(firstWords('  satu\tdua\n\ntiga  ', 3)).toBe('satu dua tiga');
    expect(firstWords('satu dua tiga empat', 3)).toBe('satu dua tiga…');
    expect(firstWords('', 3)).toBe('');
    expect(firstWords(`${'kata '.repeat(100_000)}akhir`, 2)).toBe('kata kata…');
  });
});
