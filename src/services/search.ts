import type { Page, Post } from '../models.js';
import type { SearchRepository } from '../repositories/search.js';
import { pageWindow, toPage } from './pagination.js';
import { isProtected } from './post-passwords.js';
import { queryTerms, snippetHtml } from './search-snippet.js';
import type { SettingsService } from './settings.js';
import { searchText } from '../search-words.js';

export interface SearchResult {
  post: Post;
  /** Escaped text around the matches, each match in <mark>. */
  snippetHtml: string;
}

export interface SearchPage extends Page<SearchResult> {
  /** More posts matched than SEARCH_CAP: `total` is the cap, and the page says "more than". */
  more: boolean;
}

export interface SearchService {
  /** Ranked published posts and pages matching the words of a query; null past the last page. */
  search(query: string, page: number): SearchPage | null;
}

/** The most matches ranked and paged: the newest this many, so a common word costs no more than a rare one. */
export const SEARCH_CAP = 1000;
const MAX_TERMS = 16;

/**
 * Turns whatever a visitor typed into a safe FTS5 query: each word becomes a quoted prefix term,
 * so quotes, `*`, NEAR, AND/OR and parentheses are searched as words, never parsed as syntax. A word of
 * Chinese or Japanese characters, each a word of the index (search-words.ts), is the phrase of them (`"东 京"*`).
 */
export function toMatchQuery(query: string): string | null {
  const words = query.match(/[\p{L}\p{N}_]+/gu)?.slice(0, MAX_TERMS) ?? [];
  return words.length ? words.map((w) => `"${searchText(w).trim().split(/\s+/).join(' ')}"*`).join(' ') : null;
}

export function createSearchService(searchRepo: SearchRepository, settings: SettingsService): SearchService {
  return {
    search(query, page) {
      if (page < 1) return null;
      const match = toMatchQuery(query);
      const perPage = settings.get().postsPerPage;
      const found = match ? searchRepo.search(match, SEARCH_CAP, perPage, (page - 1) * perPage) : { matched: 0, posts: [] };
      const total = Math.min(found.matched, SEARCH_CAP);
      const window = pageWindow(total, page, perPage);
      if (!window) return null;
      const terms = queryTerms(query);
      return {
        // A protected post's text stays behind its password: no snippet (the page says why).
        ...toPage(found.posts.map((post) => ({ post, snippetHtml: isProtected(post) ? '' : snippetHtml(post.bodyText, terms) })), page, window.totalPages, total),
        more: found.matched > SEARCH_CAP,
      };
    },
  };
}
