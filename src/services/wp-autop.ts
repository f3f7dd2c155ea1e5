/**
 * WordPress's `wpautop` (wp-includes/formatting.php), written again over a linear scan of the markup instead of
 * regexes over the whole text: blank lines make paragraphs, single newlines `<br />`, never inside <pre>, <script>
 * or <style>, nor inside a tag, and no paragraph around a block element.
 */

import { tokenize, type Token } from './html-tokens.js';

/** WordPress's `$allblocks`: no paragraph opens around these, and a blank line is assumed on each side. */
const BLOCKS = new Set([
  'table', 'thead', 'tfoot', 'caption', 'col', 'colgroup', 'tbody', 'tr', 'td', 'th', 'div', 'dl', 'dd', 'dt', 'ul',
  'ol', 'li', 'pre', 'form', 'map', 'area', 'blockquote', 'address', 'math', 'style', 'p', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'hr', 'fieldset', 'legend', 'section', 'article', 'aside', 'hgroup', 'header', 'footer', 'nav',
  'figure', 'figcaption', 'details', 'menu', 'summary',
]);

/** A line break just before one of these is dropped (WordPress's second `<br />` clean-up). */
const NO_BR_BEFORE = new Set(['p', 'li', 'div', 'dl', 'dd', 'dt', 'th', 'pre', 'td', 'ul', 'ol']);

const isBlock = (token: Token) => token.kind === 'opaque' || (token.kind === 'tag' && BLOCKS.has(token.name));
const isBr = (token: Token | undefined) => token?.kind === 'tag' && token.name === 'br' && !token.closing;
const isBlank = (token: Token | undefined) => token?.kind === 'text' && token.text.trim() === '';
const isFigcaption = (token: Token) => token.kind === 'tag' && token.name === 'figcaption';

const isTag = (token: Token | undefined, name: string, closing: boolean) =>
  token?.kind === 'tag' && token.name === name && token.closing === closing;

/** Neighbouring text joined, so that a blank line split by a removed comment is still one. */
function joinText(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const previous = out[out.length - 1];
    if (token.kind === 'text' && previous?.kind === 'text') out[out.length - 1] = { kind: 'text', text: previous.text + token.text };
    else out.push(token);
  }
  return out;
}

/** `<br><br>` (whitespace between) is a paragraph break; the space around <figcaption> goes, so it breaks nothing. */
function prepare(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const gap = isBlank(tokens[i + 1]) ? 1 : 0;
    if (isBr(token) && isBr(tokens[i + 1 + gap])) {
      out.push({ kind: 'text', text: '\n\n' });
      i += 1 + gap;
      continue;
    }
    if (token.kind !== 'text') {
      out.push(token);
      continue;
    }
    let text = token.text;
    if (isTag(tokens[i + 1], 'figcaption', false)) text = text.trimEnd();
    if (isTag(tokens[i - 1], 'figcaption', true)) text = text.trimStart();
    if (text) out.push({ kind: 'text', text });
  }
  return joinText(out);
}

/** Text split at blank lines (a newline, any whitespace, a newline), as WordPress's `\n\s*\n`. */
const PARAGRAPH_BREAK = /\n\s*\n/;

/** The chunks WordPress wraps one by one: split at blank lines, before each block opening and after each block end. */
function chunks(tokens: Token[]): Token[][] {
  const all: Token[][] = [];
  let current: Token[] = [];
  const end = () => {
    if (current.length) all.push(current);
    current = [];
  };
  for (const token of tokens) {
    if (token.kind === 'text') {
      const parts = token.text.split(PARAGRAPH_BREAK);
      parts.forEach((part, index) => {
        if (index > 0) end();
        if (part) current.push({ kind: 'text', text: part });
      });
    } else if (isBlock(token) && !isFigcaption(token)) {
      // As WordPress's "\n\n" above each block opening and below each block end; <hr> and <pre> get both.
      const closing = token.kind === 'tag' && token.closing;
      const single = token.kind === 'opaque' || (token.kind === 'tag' && token.name === 'hr');
      if (!closing || single) end();
      current.push(token);
      if (closing || single) end();
    } else {
      current.push(token);
    }
  }
  end();
  return all;
}

/** The first (or last) token that is not blank space, by index. */
function significant(chunk: Token[], from: number, step: 1 | -1): number {
  let i = from;
  while (i >= 0 && i < chunk.length && isBlank(chunk[i])) i += step;
  return i;
}

/** A chunk's text with each newline a `<br />`, except beside block tags and after a `<br>` already there. */
function withBreaks(chunk: Token[]): string {
  return chunk
    .map((token, i) => {
      if (token.kind !== 'text') return token.raw;
      const lines = token.text.split('\n');
      return lines
        .map((line, n) => {
          if (n === lines.length - 1) return line;
          const text = line.trimEnd();
          const before = n === 0 && !text ? chunk[significant(chunk, i - 1, -1)] : undefined;
          const last = n === lines.length - 2 && !lines[n + 1].trim();
          const after = last ? chunk[significant(chunk, i + 1, 1)] : undefined;
          const quiet =
            (before && (isBr(before) || isBlock(before))) ||
            (after?.kind === 'tag' && NO_BR_BEFORE.has(after.name)) ||
            after?.kind === 'opaque';
          return quiet ? `${text}\n` : `${text}<br />\n`;
        })
        .join('');
    })
    .join('');
}

/** Trims newlines (only) off a chunk's ends, as WordPress's trim($chunk, "\n"). */
function trimNewlines(chunk: Token[]): Token[] {
  return chunk
    .map((token, i) => {
      if (token.kind !== 'text') return token;
      let text = token.text;
      let start = 0;
      let end = text.length;
      if (i === 0) while (text.charAt(start) === '\n') start++;
      if (i === chunk.length - 1) while (end > start && text.charAt(end - 1) === '\n') end--;
      text = text.slice(start, end);
      return { kind: 'text' as const, text };
    })
    .filter((token) => token.kind !== 'text' || token.text !== '');
}

/** One chunk as WordPress writes it: in a paragraph unless it starts with a block tag; the paragraph closed before a block end. */
function paragraph(raw: Token[]): string {
  const chunk = trimNewlines(raw);
  if (chunk.every(isBlank)) return '';
  const first = significant(chunk, 0, 1);
  const last = significant(chunk, chunk.length - 1, -1);
  const head = chunk[first];
  // A blockquote opening a chunk takes the paragraph inside it.
  if (first === 0 && head.kind === 'tag' && head.name === 'blockquote' && !head.closing && last > 0) {
    return head.raw + paragraph(chunk.slice(1));
  }
  if (isBlock(head)) return withBreaks(chunk);
  const trailing = isBlock(chunk[last]) ? last : chunk.length;
  return `<p>${withBreaks(chunk.slice(0, trailing))}</p>${withBreaks(chunk.slice(trailing))}`;
}

/** WordPress's paragraphs and line breaks over tokens of markup. */
export const autopTokens = (tokens: Token[]): string => chunks(prepare(joinText(tokens))).map(paragraph).filter(Boolean).join('\n');

const normalizeNewlines = (text: string) => text.replace(/\r\n?/g, '\n');

/** WordPress's `wpautop($text)`: paragraphs from blank lines, `<br />` from single newlines. */
export const wpautop = (html: string): string => autopTokens(tokenize(normalizeNewlines(html)));

/** A `&` that starts no character reference, as WordPress's wptexturize finds it. */
const BARE_AMPERSAND = /&(?!#(?:\d{1,8}|x[0-9a-f]{1,8});|[a-z1-4]{1,8};)/gi;

/** Text where a bare `&` is written `&amp;`, so "AT&T" or "&copy2020" is read as typed, never as a character reference. */
export const escapeBareAmpersands = (token: Token): Token =>
  token.kind === 'text' ? { kind: 'text', text: token.text.replace(BARE_AMPERSAND, '&amp;') } : token;

/**
 * A comment as WordPress shows it: its stored form is plain text with inline HTML, paragraphs as blank lines.
 * The result still needs the comment allow-list (sanitizeCommentHtml).
 */
export const wpAutopComment = (text: string): string => autopTokens(tokenize(normalizeNewlines(text)).map(escapeBareAmpersands));
