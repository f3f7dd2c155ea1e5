import { describe, expect, it } from 'vitest';
import { excerptOf } from '../../src/services/excerpts.js';
import { renderPost, type SourceFormat } from '../../src/services/markdown.js';

/** A post as a list reads it: rendered from its source, with the author's excerpt if any. */
function listed(source: string, excerpt = '', format: SourceFormat = 'markdown') {
  const rendered = renderPost(source, excerpt, format);
  return { ...rendered, more: rendered.saysMore };
}

const words = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}`).join(' ');

describe('excerpts built from the rendered blocks', () => {
  it('reads a heading, a paragraph and list items as separate sentences, without the code', () => {
    const post = listed('# Catatan pertama saya\n\nHalo!\n\n- Satu\n- Dua, tiga\n\n```js\nconst salam = "Halo";\nconsole.log(salam);\n```\n');
    expect(post.excerptHtml).toBe('<p>Catatan pertama saya. Halo! Satu. Dua, tiga.</p>');
    expect(post.more).toBe(true);
  });

  it('keeps the punctuation a block ends with, and a quote closing a sentence', () => {
    expect(listed('## Siap?\n\nDia bilang "ayo."\n\nBahan:\n\n1. Gula\n2. Teh').excerptHtml)
      .toBe('<p>Siap? Dia bilang "ayo." Bahan: Gula. Teh.</p>');
  });

  it('takes WordPress’s 55 words across blocks, with an ellipsis, and then the post has more', () => {
    const post = listed(`## ${words(0, 5)}\n\n${words(5, 50)}\n\n- ${words(50, 60)}`);
    expect(post.excerptHtml).toBe(`<p>${words(0, 4)} w4. ${words(5, 49)} w49. ${words(50, 54)} w54…</p>`);
    expect(post.more).toBe(true);
  });

  it('decodes entities once and escapes them again in the excerpt HTML', () => {
    const post = listed('Tom &amp; Jerry &lt;3 &copy; <b>dan</b> `a<b`');
    expect(post.excerptHtml).toBe('<p>Tom &amp; Jerry &lt;3 © dan a&lt;b.</p>');
    expect(excerptOf(post.bodyHtml).text).toBe('Tom & Jerry <3 © dan a<b.');
  });

  it('leaves images, figures and tables out, and then the post has more', () => {
    const post = listed('Sebelum ![foto](https://img.example/a.png) sesudah.\n\n<figure><img src="https://img.example/b.png" alt="b"><figcaption>Keterangan</figcaption></figure>\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(post.excerptHtml).toBe('<p>Sebelum sesudah.</p>');
    expect(post.more).toBe(true);
  });

  it('says a short post has nothing more: its excerpt is the whole post', () => {
    const post = listed('## Judul\n\nSatu paragraf pendek saja.\n\n> Kutipan singkat');
    expect(post.excerptHtml).toBe('<p>Judul. Satu paragraf pendek saja. Kutipan singkat.</p>');
    expect(post.more).toBe(false);
    expect(listed(words(0, 55)).more).toBe(false);
    expect(listed(words(0, 56)).more).toBe(true);
    expect(listed('<h2>Judul</h2>\n<p>Isi yang pendek.</p>', '', 'html').more).toBe(false);
  });

  it('says a post has more when its author wrote the excerpt or put a <!--more-->', () => {
    expect(listed('Pendek.', 'Ringkasan penulis.').more).toBe(true);
    expect(listed('Atas.\n\n<!--more-->\n\nBawah.').more).toBe(true);
    expect(listed('<p>Atas.</p><!--more--><p>Bawah.</p>', '', 'html').more).toBe(true);
  });

  it('stores no excerpt for a post of code alone', () => {
    const post = listed('```sh\nls -l\n```');
    expect(post.excerptHtml).toBe('');
    expect(post.more).toBe(true);
  });
});
