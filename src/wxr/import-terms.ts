import { htmlToText } from '../services/markdown.js';
import type { ImportContext } from './import-summary.js';
import type { WxrItem, WxrTerm } from './types.js';
import { termSlugOf, text } from './wordpress-values.js';

type Taxonomy = 'category' | 'tag';

const taxonomyOf = (wordpress: string): Taxonomy | null => (wordpress === 'category' ? 'category' : wordpress === 'post_tag' ? 'tag' : null);

/** Categories and tags: one with the same slug here is used as it is. Other taxonomies are not kept. */
export function importTerms(ctx: ImportContext) {
  const { repo } = ctx;
  /** The file lists terms before items, a child possibly before its parent: they are nested once all are in. */
  const parents: { taxonomy: Taxonomy; id: number; parentSlug: string }[] = [];

  const term = (taxonomy: Taxonomy, rawSlug: string, rawName: string, description: string, wpId: number) => {
    const name = text(rawName);
    const slug = termSlugOf(rawSlug, name);
    if (!slug) return undefined;
    const existing = repo.termBySlug(taxonomy, slug);
    const kind = taxonomy === 'category' ? 'categories' : 'tags';
    if (existing !== undefined) {
      if (wpId > 0) ctx.skip(kind, repo.origin(ctx.site, 'term', wpId) !== undefined ? 'already imported' : 'matched to one here with the same slug');
      repo.addOrigin(ctx.site, 'term', wpId, null, existing);
      return existing;
    }
    const id = repo.addTerm(taxonomy, slug, name || slug, htmlToText(description));
    repo.addOrigin(ctx.site, 'term', wpId, null, id);
    ctx.summary.imported[kind] += 1;
    return id;
  };

  return {
    /** A term of the file's list, in a transaction of its own. */
    add(record: WxrTerm) {
      const taxonomy = taxonomyOf(record.taxonomy);
      if (!taxonomy) return ctx.skip(record.taxonomy === 'category' ? 'categories' : 'tags', `taxonomy ${record.taxonomy} is not kept`);
      const id = repo.transaction(() => term(taxonomy, record.slug, record.name, record.description, record.id));
      if (id !== undefined && record.parentSlug) parents.push({ taxonomy, id, parentSlug: record.parentSlug });
    },
    /** Files a post under the item's categories and tags, adding those the file's list did not have. */
    link(postId: number, terms: WxrItem['terms']) {
      for (const t of terms) {
        const taxonomy = taxonomyOf(t.taxonomy);
        if (!taxonomy) continue;
        const termId = repo.termBySlug(taxonomy, termSlugOf(t.slug, text(t.name))) ?? term(taxonomy, t.slug, t.name, '', 0);
        if (termId !== undefined) repo.linkTerm(postId, termId);
      }
    },
    /** Nests the terms listed so far under their parents. */
    nest() {
      if (parents.length === 0) return;
      repo.transaction(() => parents.splice(0).forEach(({ taxonomy, id, parentSlug }) => {
        const parent = repo.termBySlug(taxonomy, termSlugOf(parentSlug));
        if (parent !== undefined) repo.setTermParent(id, parent);
      }));
    },
  };
}
