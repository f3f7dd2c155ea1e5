import type { Database } from 'better-sqlite3';
import type { Taxonomy, Term } from '../models.js';

export interface TermsRepository {
  findBySlug(taxonomy: Taxonomy, slug: string): Term | undefined;
  findById(id: number): Term | undefined;
  /**
   * Finds or creates each named term and returns them in the given order. As WordPress's term_exists, a term is
   * found by its slug, else by its name (any case): a name whose slug the blog makes differently since (`Tokyo 東京`,
   * once `tokyo`) keeps its term.
   */
  ensure(taxonomy: Taxonomy, entries: { slug: string; name: string }[]): Term[];
  setForPost(postId: number, termIds: number[]): void;
  /** The terms of many posts in one query, keyed by post id. */
  forPosts(postIds: number[]): Map<number, Term[]>;
  /** Every category's id, slug and parent: a few hundred at most, read whole to walk the tree. */
  categoryTree(): { id: number; slug: string; parentId: number | null }[];
  /** Every term of a taxonomy, by name. */
  list(taxonomy: Taxonomy): Term[];
}

export function createTermsRepository(db: Database): TermsRepository {
  const bySlug = db.prepare('SELECT id, taxonomy, slug, name FROM terms WHERE taxonomy = ? AND slug = ?');
  const tree = db.prepare("SELECT id, slug, parent_id AS parentId FROM terms WHERE taxonomy = 'category'");
  const byId = db.prepare('SELECT id, taxonomy, slug, name FROM terms WHERE id = ?');
  const byName = db.prepare('SELECT id, taxonomy, slug, name FROM terms WHERE taxonomy = ? AND name = ? COLLATE NOCASE ORDER BY id LIMIT 1');
  const insert = db.prepare('INSERT INTO terms (taxonomy, slug, name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const clearPost = db.prepare('DELETE FROM post_terms WHERE post_id = ?');
  const link = db.prepare('INSERT OR IGNORE INTO post_terms (post_id, term_id) VALUES (?, ?)');
  const ofPosts = db.prepare(`
    SELECT pt.post_id AS postId, t.id, t.taxonomy, t.slug, t.name
    FROM post_terms pt JOIN terms t ON t.id = pt.term_id
    WHERE pt.post_id IN (SELECT value FROM json_each(?))
    ORDER BY t.taxonomy, t.name COLLATE NOCASE`);

  const all = db.prepare('SELECT id, taxonomy, slug, name FROM terms WHERE taxonomy = ? ORDER BY name COLLATE NOCASE');

  const findBySlug = (taxonomy: Taxonomy, slug: string) => bySlug.get(taxonomy, slug) as Term | undefined;

  return {
    findBySlug,
    findById: (id) => byId.get(id) as Term | undefined,
    categoryTree: () => tree.all() as { id: number; slug: string; parentId: number | null }[],
    ensure: db.transaction((taxonomy: Taxonomy, entries: { slug: string; name: string }[]) =>
      entries.map(({ slug, name }) => {
        const found = findBySlug(taxonomy, slug) ?? (byName.get(taxonomy, name) as Term | undefined);
        if (found) return found;
        insert.run(taxonomy, slug, name);
        return findBySlug(taxonomy, slug)!;
      }),
    ),
    setForPost: db.transaction((postId: number, termIds: number[]) => {
      clearPost.run(postId);
      for (const termId of termIds) link.run(postId, termId);
    }),
    list: (taxonomy) => all.all(taxonomy) as Term[],
    forPosts(postIds) {
      const map = new Map<number, Term[]>(postIds.map((id) => [id, []]));
      if (postIds.length === 0) return map;
      for (const row of ofPosts.all(JSON.stringify(postIds)) as (Term & { postId: number })[]) {
        const { postId, ...term } = row;
        map.get(postId)?.push(term);
      }
      return map;
    },
  };
}
