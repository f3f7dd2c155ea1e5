import { Parser } from 'htmlparser2';
import { isFootnoteLink, isFootnoteList } from './footnotes.js';

/** WordPress's excerpt length, in words. */
export const EXCERPT_WORDS = 55;

// Each of these is read as a sentence of its own: its text never runs into the next block's.
const BLOCKS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'blockquote', 'hr', 'div', 'section', 'article',
]);
// What does not read as prose: code, media and tables are left out of an excerpt (the post then has more than it says).
const LEFT_OUT = new Set(['pre', 'figure', 'img', 'picture', 'video', 'audio', 'iframe', 'table', 'svg', 'math', 'script', 'style']);

const SENTENCE_END = new Set(['.', '!', '?', '…', ':', ';', '。', '！', '？']);
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']']);
const COMMAS = new Set([',', '،', '、']);
const CUT_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?']);

/** `word` without the characters of `set` at its end. */
function trimEnd(word: string, set: Set<string>): string {
  let end = word.length;
  while (end > 0 && set.has(word[end - 1])) end--;
  return word.slice(0, end);
}

/** A block's words ending a sentence: a heading or list item without its own punctuation gets a full stop. */
function asSentence(words: string[]): string[] {
  const last = words[words.length - 1];
  const closed = trimEnd(last, CLOSERS);
  if (closed && SENTENCE_END.has(closed[closed.length - 1])) return words;
  const bare = trimEnd(last, COMMAS);
  return bare ? [...words.slice(0, -1), `${bare}.`] : words.slice(0, -1);
}

export interface Excerpt {
  /** Plain text: the blocks as sentences, cut at `words` words with an ellipsis. */
  text: string;
  /** The post says more than this: it was cut, or it holds code, images or tables the excerpt leaves out. */
  more: boolean;
}

/**
 * The excerpt of sanitized post HTML, read block by block. Reading stops at the first word past the limit, so asking
 * whether a long post has more costs no more than its first paragraphs.
 */
export function excerptOf(html: string, words = EXCERPT_WORDS): Excerpt {
  const kept: string[] = [];
  let block = '';
  let skipped = 0;
  let leftOut = false;
  let cut = false;
  const endBlock = () => {
    const blockWords = block.split(/\s+/).filter(Boolean);
    block = '';
    if (!blockWords.length || cut) return;
    kept.push(...asSentence(blockWords));
    if (kept.length > words) {
      cut = true;
      parser.pause();
    }
  };
  // Footnote links (their numbers, the ↩ back) are read past; the notes at the end are left out, as code is.
  const skipping: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (LEFT_OUT.has(name) || isFootnoteList(name, attribs) || isFootnoteLink(name, attribs)) {
          leftOut ||= !isFootnoteLink(name, attribs);
          skipping.push(name);
          skipped++;
        } else if (BLOCKS.has(name)) endBlock();
      },
      onclosetag(name) {
        if (skipping.length && skipping[skipping.length - 1] === name) {
          skipping.pop();
          skipped--;
        } else if (BLOCKS.has(name)) endBlock();
        else if (name === 'br') block += ' ';
      },
      ontext(text) {
        if (!skipped) block += text;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  if (!cut) {
    parser.end();
    endBlock();
  }
  if (!cut) return { text: kept.join(' '), more: leftOut };
  const shown = kept.slice(0, words);
  shown[shown.length - 1] = `${trimEnd(shown[shown.length - 1], CUT_PUNCTUATION)}…`;
  return { text: shown.join(' '), more: true };
}
