/**
 * Words for the search index. Chinese and Japanese are written without spaces between words, and the index's
 * tokenizer (unicode61) reads a whole run of such characters as one word: a search for 东京 would find only texts
 * whose run starts with it. So each of their characters is indexed as a word of its own, and a query's run becomes
 * the phrase of its characters, which matches them side by side anywhere in a text. Other scripts are unchanged.
 * The index's triggers call this as the SQL function search_text (migrations/0028, db/sql-functions.ts).
 */
const UNSPACED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/u;
const UNSPACED_EACH = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/gu;

/** A text as the search index reads it: each Chinese or Japanese character set apart by spaces. */
export const searchText = (text: string): string => (UNSPACED.test(text) ? text.replace(UNSPACED_EACH, ' $& ') : text);

/** Whether a character is one the index reads as a word by itself. */
export const isUnspaced = (char: string): boolean => UNSPACED.test(char);
