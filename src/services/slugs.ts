import slugify from '@sindresorhus/slugify';
import { trimTrailing } from '../text.js';

/**
 * Paths the blog itself answers at the top level; a page may not take them. Every first segment of its own routes:
 * src/routes, the health check, the Fediverse's paths, the static folders.
 */
const RESERVED = new Set(['admin', 'auth', 'author', 'category', 'comments', 'feed', 'p', 'page', 'tag', 'uploads', 'css', 'js', 'images', 'sitemap-xml', 'robots-txt',
  'healthz', 'subscriptions', 'fediverse', 'nodeinfo', 'post-password']);

/** A URL slug in ASCII: accents and other scripts transliterated ("Ça déjà" → "ca-deja"), at most 200 characters. */
export const slugFrom = (text: string) =>
  trimTrailing(slugify(text, { decamelize: false }).slice(0, 200), '-');

/** Whether a page at /<slug>/ would hide one of the blog's own routes (a year archive too). */
export const isReservedPageSlug = (slug: string) => RESERVED.has(slug) || /^\d+$/.test(slug);
