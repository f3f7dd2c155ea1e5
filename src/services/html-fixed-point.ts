import { defaultTreeAdapter, html, parseFragment, serialize, type DefaultTreeAdapterTypes } from 'parse5';
import sanitizeHtml from 'sanitize-html';

/** Tag soup settles in a round or two; the cap only bounds the work on input built to resist. */
const MAX_ROUNDS = 8;

type ParentNode = DefaultTreeAdapterTypes.ParentNode;

/**
 * The parser drops one newline right after <pre>, and the serializer does not write one back, so each reading
 * of `<pre>\n\n…` loses another: keep none (a blank first line in a code block is all that goes).
 */
function dropLeadingPreNewlines(root: ParentNode): void {
  const stack: ParentNode[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const first = node.childNodes[0];
    if (node.nodeName === 'pre' && first && defaultTreeAdapter.isTextNode(first)) first.value = first.value.replace(/^\n+/, '');
    for (const child of node.childNodes) if ('childNodes' in child) stack.push(child);
  }
}

/** HTML as a browser's parser (the HTML5 algorithm, parse5) reads it inside the page's <body>, written out again. */
function browserReading(markup: string): string {
  const fragment = parseFragment(defaultTreeAdapter.createElement('body', html.NS.HTML, []), markup, {});
  dropLeadingPreNewlines(fragment);
  return serialize(fragment);
}

/**
 * Sanitized HTML that a browser reads as exactly the tree it says: sanitizing what parse5 makes of the result
 * gives the result again. A sanitizer keeps tag soup such as `<p><li><table><li>` that the parser rebuilds
 * (and rebuilds again after serializing), the ground of mutation XSS; so the parser's reading is sanitized
 * again until nothing changes. Should that not happen within the cap, only the text is kept, in one paragraph,
 * which cannot mutate. `clean` is the sanitizer (it must allow <p>).
 */
export function settleHtml(markup: string, clean: (markup: string) => string): string {
  let current = markup;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = clean(browserReading(current));
    if (next === current) return current;
    current = next;
  }
  const text = sanitizeHtml(current, { allowedTags: [], allowedAttributes: {} });
  return clean(browserReading(clean(`<p>${text}</p>`)));
}
