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

/**
 * A category's or tag's slug: slugFrom's ASCII, or for a name it leaves nothing of (Chinese, Japanese, Thai,
 * emoji…) WordPress's own form, the name's words joined by dashes in percent-encoded UTF-8 (`東京` →
 * `%e6%9d%b1%e4%ba%ac`), so such a term is kept and has an address as it had on WordPress.
 */
export const termSlugFrom = (name: string) => slugFrom(name) || encodedSlug(name);

const MAX_ENCODED = 200;

function encodedSlug(name: string): string {
  // With the u flag a lone surrogate is no letter either: it becomes a dash, so encodeURIComponent cannot throw.
  const words = name.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{M}\p{N}\p{Extended_Pictographic}_-]+/gu, '-').replace(/^-+/, '');
  let slug = '';
  for (const char of words) {
    const encoded = encodeURIComponent(char).toLowerCase();
    if (slug.length + encoded.length > MAX_ENCODED) break;
    slug += encoded;
  }
  return trimTrailing(slug, '-');
}

/**
 * The slug a category's or tag's address names: Express hands it over decoded (`東京`), and such a slug is kept
 * encoded; an ASCII one is the same either way.
 */
export const termSlugOfPath = (decoded: string) => (/^[\x20-\x7e]*$/.test(decoded) ? decoded : encodeURIComponent(decoded).toLowerCase());

/** Whether a page at /<slug>/ would hide one of the blog's own routes (a year archive too). */
export const isReservedPageSlug = (slug: string) => RESERVED.has(slug) || /^\d+$/.test(slug);
