import type { Page } from '../models.js';
import { MATCH_END, MATCH_START, type PostsRepository } from '../repositories/posts.js';
import { escapeHtml } from './markdown.js';
import { pageWindow, toPage } from './pagination.js';
import type { SettingsService } from './settings.js';
import type { Post } from '../models.js';

export interface SearchResult {
  post: Post;
  /** Escaped text around the matches, each match in <mark>. */
  snippetHtml: string;
}

export interface SearchService {
  /** Ranked published posts and pages matching the words of a query; null past the last page. */
  search(query: string, page: number): Page<SearchResult> | null;
}

const MAX_TERMS = 16;

/**
 * Turns whatever a visitor typed into a safe FTS5 query: each word becomes a quoted prefix term,
 * so quotes, `*`, NEAR, AND/OR and parentheses are searched as words, never parsed as syntax.
 */
export function toMatchQuery(query: string): string | null {
  const words = query.match(/[\p{L}\p{N}_]+/gu)?.slice(0, MAX_TERMS) ?? [];
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

function highlight(snippet: string): string {
  return escapeHtml(snippet).replaceAll(MATCH_START, '<mark>').replaceAll(MATCH_END, '</mark>');
}

export function createSearchService(posts: PostsRepository, settings: SettingsService): SearchService {
  return {
    search(query, page) {
      const match = toMatchQuery(query);
      const total = match ? posts.countSearch(match) : 0;
      const window = pageWindow(total, page, settings.get().postsPerPage);
      if (!window) return null;
      const hits = match ? posts.search(match, window.limit, window.offset) : [];
      return toPage(
        hits.map(({ post, snippet }) => ({ post, snippetHtml: highlight(snippet) })),
        page,
        window.totalPages,
        total,
      );
    },
  };
}
