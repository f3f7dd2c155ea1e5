import type { Message } from '../i18n/index.js';
import type { PageNode, PostsAdminRepository } from '../repositories/posts-admin.js';
import { MAX_PAGE_DEPTH } from '../repositories/post-columns.js';
import type { PostsRepository } from '../repositories/posts.js';

/** A page offered as a parent: `depth` 0 for a top-level page, indented by it in the list. */
export interface ParentChoice {
  id: number;
  title: string;
  depth: number;
}

type Deps = { admin: Pick<PostsAdminRepository, 'pages' | 'lineage' | 'subtreeHeight'>; posts: Pick<PostsRepository, 'findById'> };

/**
 * WordPress's Page Attributes → Parent list: every page outside the trash as a tree, by title, without the page
 * being edited and the pages under it (none of them can be its parent).
 */
export function parentChoices({ admin }: Deps, ownId?: number): ParentChoice[] {
  const pages = admin.pages();
  const ids = new Set(pages.map((page) => page.id));
  const children = new Map<number | null, PageNode[]>();
  for (const page of pages) {
    const parent = page.parentId !== null && ids.has(page.parentId) ? page.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), page]);
  }
  const choices: ParentChoice[] = [];
  const walk = (parent: number | null, depth: number) => {
    if (depth >= MAX_PAGE_DEPTH) return;
    for (const page of children.get(parent) ?? []) {
      if (page.id === ownId) continue;
      choices.push({ id: page.id, title: page.title, depth });
      walk(page.id, depth + 1);
    }
  };
  walk(null, 0);
  return choices;
}

/**
 * The parent a form asks for ('' or '0': none), if the page may go under it: an existing page outside the trash,
 * neither the page itself nor one under it, and not so deep that the page or its subpages would pass MAX_PAGE_DEPTH.
 */
export function checkParent({ admin, posts }: Deps, raw: string, ownId?: number): { parentId: number | null } | { error: Message } {
  if (raw === '' || raw === '0') return { parentId: null };
  const parent = /^\d{1,12}$/.test(raw) ? posts.findById(Number(raw)) : undefined;
  if (!parent || parent.type !== 'page' || parent.status === 'trash') return { error: 'admin.posts.error.parent' };
  const lineage = admin.lineage(parent.id);
  if (ownId !== undefined && lineage.includes(ownId)) return { error: 'admin.posts.error.parentLoop' };
  const deepest = lineage.length + 1 + (ownId === undefined ? 0 : admin.subtreeHeight(ownId));
  if (deepest > MAX_PAGE_DEPTH) return { error: { key: 'admin.posts.error.parentDepth', params: { max: MAX_PAGE_DEPTH } } };
  return { parentId: parent.id };
}
