import { isUnspaced, searchText } from '../search-words.js';
import { escapeHtml } from './markdown.js';

/**
 * A search result's snippet, made here for the page's few rows rather than by FTS5's snippet(), which needs a
 * second pass of the whole match over the search index. It follows the index's tokenizer (unicode61,
 * remove_diacritics 2) and its words (search-words.ts): runs of letters and digits, compared without case or
 * accents, and each Chinese or Japanese character alone. A query word matches any word it begins; one of several
 * such characters (东京) matches them side by side.
 */

const WORD = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]|(?:(?![\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}])[\p{L}\p{N}\p{M}])+/gu;
const SNIPPET_WORDS = 24;

/** A word as the search index stores it: lower case, accents removed (a Chinese or Japanese character as it is). */
const foldWord = (word: string) => (isUnspaced(word) ? word : word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());

/** The query's words, each as the index's words it is made of (one, or several side by side), folded. */
export const queryTerms = (query: string): string[][] => {
  const words = [...new Set(query.match(/[\p{L}\p{N}]+/gu) ?? [])];
  return words.map((word) => searchText(word).trim().split(/\s+/).map(foldWord));
};

/** Whether the text's words from `at` on are a term's: all but the last whole, the last begun. */
const matchesAt = (folded: string[], at: number, term: string[]) =>
  at + term.length <= folded.length && term.every((token, i) => (i === term.length - 1 ? folded[at + i].startsWith(token) : folded[at + i] === token));

/**
 * Escaped text of about 24 words around the most query words (the first such window), each match in <mark>;
 * the text's start when nothing in it matches (a title match). An ellipsis marks text left out.
 */
export function snippetHtml(text: string, terms: string[][]): string {
  const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, term: -1 }));
  const folded = words.map((word) => foldWord(text.slice(word.start, word.end)));
  for (let at = 0; at < words.length; at++) {
    if (words[at].term >= 0) continue;
    const term = terms.findIndex((tokens) => matchesAt(folded, at, tokens));
    // Every word of the match is marked with its term.
    if (term >= 0) for (let i = 0; i < terms[term].length; i++) words[at + i].term = term;
  }
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
  // Matched words with nothing between them (东 and 京 of 东京) share one <mark>.
  let marking = false;
  for (const word of shown) {
    const gap = text.slice(at, word.start);
    if (marking && (gap !== '' || word.term < 0)) {
      html += '</mark>';
      marking = false;
    }
    html += escapeHtml(gap);
    if (word.term >= 0 && !marking) {
      html += '<mark>';
      marking = true;
    }
    html += escapeHtml(text.slice(word.start, word.end));
    at = word.end;
  }
  if (marking) html += '</mark>';
  return best + SNIPPET_WORDS < words.length ? `${html}…` : html + escapeHtml(text.slice(at));
}
