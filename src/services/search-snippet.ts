import { escapeHtml } from './markdown.js';

/**
 * A search result's snippet, made here for the page's few rows rather than by FTS5's snippet(), which needs a
 * second pass of the whole match over the search index. It follows the index's tokenizer (unicode61,
 * remove_diacritics 2): words of letters and digits, compared without case or accents, a query word matching
 * any word it begins.
 */

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const SNIPPET_WORDS = 24;

/** A word as the search index stores it: lower case, accents removed. */
const foldWord = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The query's words, folded: what a word of the text must begin with to match. */
export const queryTerms = (query: string) => [...new Set((query.match(/[\p{L}\p{N}]+/gu) ?? []).map(foldWord))];

/**
 * Escaped text of about 24 words around the most query words (the first such window), each match in <mark>;
 * the text's start when nothing in it matches (a title match). An ellipsis marks text left out.
 */
export function snippetHtml(text: string, terms: string[]): string {
  const words = [...text.matchAll(WORD)].map((m) => {
    const folded = foldWord(m[0]);
    return { start: m.index, end: m.index + m[0].length, term: terms.findIndex((term) => folded.startsWith(term)) };
  });
  if (words.length === 0) return '';
  // Slide a window of SNIPPET_WORDS words along the text, counting the matches of each query word inside it.
  const inWindow = terms.map(() => 0);
  let distinct = 0;
  let hits = 0;
  const add = (term: number, by: 1 | -1) => {
    if (term < 0) return;
    if (by === 1 && inWindow[term]++ === 0) distinct++;
    if (by === -1 && --inWindow[term] === 0) distinct--;
    hits += by;
  };
  for (const word of words.slice(0, SNIPPET_WORDS)) add(word.term, 1);
  let best = 0;
  // Distinct query words first, then how many matches; the earliest window wins ties.
  let bestScore = distinct * 1000 + hits;
  for (let first = 1; first + SNIPPET_WORDS <= words.length; first++) {
    add(words[first - 1].term, -1);
    add(words[first + SNIPPET_WORDS - 1].term, 1);
    if (distinct * 1000 + hits > bestScore) [best, bestScore] = [first, distinct * 1000 + hits];
  }
  const shown = words.slice(best, best + SNIPPET_WORDS);
  let html = best > 0 ? '…' : '';
  let at = best > 0 ? shown[0].start : 0;
  for (const word of shown) {
    html += escapeHtml(text.slice(at, word.start));
    const raw = escapeHtml(text.slice(word.start, word.end));
    html += word.term >= 0 ? `<mark>${raw}</mark>` : raw;
    at = word.end;
  }
  return best + SNIPPET_WORDS < words.length ? `${html}…` : html + escapeHtml(text.slice(at));
}
