import type { Database } from 'better-sqlite3';
import type { Post } from '../models.js';
import { SELECT, toPost } from './post-columns.js';

export interface SearchRepository {
  /**
   * One page of the published posts and pages matching an FTS5 query, best first: bm25, a match in the title
   * weighing 10× one in the text, equal ranks newest first. Only the newest `cap` matches are ranked (ranking
   * every post a common word matches costs a full pass over its index); `matched` counts them up to cap + 1.
   * `match` is a query of quoted terms (see toMatchQuery); a password-protected post matches on its title only.
   */
  search(match: string, cap: number, limit: number, offset: number): { matched: number; posts: Post[] };
}

interface Candidate {
  id: number;
  rank: number;
  publishedAt: string | null;
}

export function createSearchRepository(db: Database): SearchRepository {
  // Newest first is the search index's own order, so LIMIT stops the scan; bm25 runs on the rows kept only.
  const candidates = db.prepare(`
    SELECT posts_fts.rowid AS id, bm25(posts_fts, 10.0, 1.0) AS rank, p.published_at AS publishedAt
    FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
    WHERE posts_fts MATCH @match AND p.status = 'published'
      AND (coalesce(p.password, '') = '' OR posts_fts.rowid IN (SELECT rowid FROM posts_fts WHERE posts_fts MATCH @titleMatch))
    ORDER BY posts_fts.rowid DESC LIMIT @count`);
  const byIds = db.prepare(`${SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`);

  return {
    search(match, cap, limit, offset) {
      // A protected post's text is for those who know its password: it matches by its title alone.
      const found = candidates.all({ match, titleMatch: `title : (${match})`, count: cap + 1 }) as Candidate[];
      const ranked = found.slice(0, cap).sort((a, b) => a.rank - b.rank || (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
      const ids = ranked.slice(offset, offset + limit).map((hit) => hit.id);
      if (ids.length === 0) return { matched: found.length, posts: [] };
      const byId = new Map((byIds.all(JSON.stringify(ids)) as unknown[]).map(toPost).map((post) => [post.id, post]));
      return { matched: found.length, posts: ids.flatMap((id) => byId.get(id) ?? []) };
    },
  };
}
