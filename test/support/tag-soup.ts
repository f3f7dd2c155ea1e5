import fc from 'fast-check';

/** Tags the post and comment allow-lists keep, table and list parts that the parser moves, and a few that run. */
const TAGS = [
  'p', 'li', 'ul', 'ol', 'table', 'tbody', 'tr', 'td', 'th', 'caption', 'a', 'b', 'i', 'em', 'strong', 'code', 'pre',
  'blockquote', 'h2', 'span', 'q', 'del', 'br', 'img', 'input', 'dl', 'dd', 'figure', 'abbr', 'cite', 's', 'strike',
  'script', 'style', 'iframe', 'svg', 'math', 'noscript', 'textarea', 'form', 'select', 'option', 'template', 'title',
  'xmp', 'object', 'button', 'mglyph', 'annotation-xml', 'desc', 'foreignObject', 'font', 'nobr',
];
const ATTRIBUTES = [
  '', ' href="https://example.org/"', ' href="javascript:alert(1)"', ' title="a &quot;b&quot; <c>"', ' onclick="x()"',
  ' src="https://img.example/a.png"', ' type="checkbox" checked', ' rel="me"', ' class="language-js"', ' cite="x"',
];
const TEXTS = ['a', ' ', '\n', '\n\n', '&amp;', '&lt;', '<', '>', '"', "'", '\u00a0', '&nbsp;', ']]>', '<!--', '-->', 'x<y'];

/** Random tag soup: elements nested at random, some left open, some closed that were never opened. */
export const tagSoup: fc.Arbitrary<string> = fc.letrec<{ node: string; nodes: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXTS),
    fc.tuple(fc.constantFrom(...TAGS), fc.constantFrom(...ATTRIBUTES), tie('nodes'), fc.boolean())
      .map(([tag, attrs, inner, closed]) => `<${tag}${attrs}>${inner}${closed ? `</${tag}>` : ''}`),
    fc.constantFrom(...TAGS).map((tag) => `</${tag}>`),
  ),
  nodes: fc.array(tie('node'), { maxLength: 5 }).map((parts) => parts.join('')),
})).nodes;
