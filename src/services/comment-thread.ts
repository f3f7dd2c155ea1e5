import type { Comment } from '../models.js';

export interface CommentNode extends Comment {
  depth: number;
  children: CommentNode[];
}

/** Nests comments under their parents (oldest first); a reply whose parent is not shown becomes top-level. */
export function buildTree(list: Comment[]): { roots: CommentNode[]; count: number } {
  // Object.assign, not `{ ...c, depth, children }`: Node 20's V8 keeps the properties a literal adds after a spread in
  // the old generation, so every copy was garbage that only a full collection frees (the benchmark's RSS).
  const nodes = new Map<number, CommentNode>(list.map((c) => [c.id, Object.assign({}, c, { depth: 1, children: [] })]));
  const roots: CommentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId !== null ? nodes.get(node.parentId) : undefined;
    if (parent) {
      node.depth = parent.depth + 1;
      parent.children.push(node);
    } else roots.push(node);
  }
  return { roots, count: list.filter((c) => c.status === 'approved').length };
}

/** Whether a comment sits anywhere below a thread's root. */
export const contains = (node: CommentNode, id: number): boolean =>
  node.children.some((child) => child.id === id || contains(child, id));

/** Where a reply attaches: its parent, or the deepest ancestor the depth setting allows. */
export function attachParent(parent: Comment, maxDepth: number, findById: (id: number) => Comment | undefined): number | null {
  if (maxDepth <= 1) return null;
  const chain: Comment[] = [parent];
  while (chain[0].parentId !== null) {
    const up = findById(chain[0].parentId);
    if (!up) break;
    chain.unshift(up);
  }
  // chain[0] is at depth 1; a reply to chain[i] sits at depth i + 2.
  return chain[Math.min(chain.length, maxDepth - 1) - 1].id;
}
