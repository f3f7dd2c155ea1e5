/**
 * Markup split into text, comments, tags and the elements whose content is left as written, in one linear scan:
 * what wpautop (wp-autop.ts) and the reading of WordPress's HTML (wp-html.ts) work over, so no regex runs over a
 * whole body.
 */

export type Token =
  | { kind: 'text'; text: string }
  | { kind: 'comment'; raw: string; body: string }
  | { kind: 'tag'; raw: string; name: string; closing: boolean }
  /** An element whose content is left exactly as written: <pre>, <script>, <style>. */
  | { kind: 'opaque'; raw: string };

const OPAQUE = new Set(['pre', 'script', 'style']);

const isNameChar = (code: number) => (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
const startsTag = (char: string) => /^[a-zA-Z/!?]$/.test(char);

/** Where the element `name` opened before `from` closes (`</name`, any case), or -1. */
function closingAt(html: string, name: string, from: number): number {
  for (let at = html.indexOf('</', from); at >= 0; at = html.indexOf('</', at + 2)) {
    if (html.slice(at + 2, at + 2 + name.length).toLowerCase() === name && !isNameChar(html.charCodeAt(at + 2 + name.length))) return at;
  }
  return -1;
}

/** Splits markup into text, comments, tags and opaque elements; a `<` that starts no tag is text. One pass. */
export function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  const unclosed = new Set<string>(); // opaque names with no closing tag ahead: not searched for again
  let text = 0;
  let at = html.indexOf('<');
  const flush = (end: number) => {
    if (end > text) tokens.push({ kind: 'text', text: html.slice(text, end) });
  };
  while (at >= 0) {
    let end: number;
    if (html.startsWith('<!--', at)) {
      const close = html.indexOf('-->', at + 4);
      end = close < 0 ? html.length : close + 3;
      flush(at);
      tokens.push({ kind: 'comment', raw: html.slice(at, end), body: html.slice(at + 4, close < 0 ? html.length : close) });
    } else if (startsTag(html.charAt(at + 1))) {
      const gt = html.indexOf('>', at);
      end = gt < 0 ? html.length : gt + 1;
      const closing = html.charAt(at + 1) === '/';
      let nameEnd = at + (closing ? 2 : 1);
      while (nameEnd < end && isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
      const name = html.slice(at + (closing ? 2 : 1), nameEnd).toLowerCase();
      flush(at);
      const shut = !closing && OPAQUE.has(name) && !unclosed.has(name) ? closingAt(html, name, end) : -1;
      if (!closing && OPAQUE.has(name) && shut < 0) unclosed.add(name);
      if (shut >= 0) {
        const gtShut = html.indexOf('>', shut);
        end = gtShut < 0 ? html.length : gtShut + 1;
        tokens.push({ kind: 'opaque', raw: html.slice(at, end) });
      } else {
        tokens.push({ kind: 'tag', raw: html.slice(at, end), name, closing });
      }
    } else {
      at = html.indexOf('<', at + 1);
      continue;
    }
    text = end;
    at = html.indexOf('<', end);
  }
  flush(html.length);
  return tokens;
}

