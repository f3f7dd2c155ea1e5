import type { PostWithTerms } from '../services/posts.js';
import { permalinkShape } from '../permalinks.js';
import { isProtected } from '../services/post-passwords.js';
import type { FediverseDeps } from './deps.js';

/**
 * The published post or page at exactly this path, found without loading Fedify: undefined when none lives there
 * (the reader's routes answer: a listing, a moved post's redirect, the 404); null when one does but not for everyone
 * to read (a password-protected one).
 */
export function publicPostAt(path: string, { posts }: Pick<FediverseDeps, 'posts'>): PostWithTerms | null | undefined {
  const shape = permalinkShape(path);
  const found = shape?.kind === 'post' ? posts.postPage(shape.date, shape.slug) : shape ? posts.staticPage(shape.slugs) : null;
  if (!found || !('post' in found)) return undefined;
  return found.post.status !== 'published' || isProtected(found.post) ? null : found.post;
}
