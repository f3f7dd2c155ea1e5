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

/** What a slug keeps of a text: letters (with their marks), digits and emoji. */
const KEPT = /[\p{L}\p{M}\p{N}\p{Extended_Pictographic}]/u;
const MARK = /\p{M}/u;
const SEPARATOR = /[^\p{L}\p{N}]/u;
const MAX_LENGTH = 200;
/** Characters read of a text: each one spelled or encoded gives at least one of the slug's 200. */
const MAX_READ = 1_000;

/** A character slugFrom would drop though a slug keeps it: a letter of a script it does not transliterate, an emoji. */
const untransliterated = (char: string) => char > '\x7f' && KEPT.test(char) && slugFrom(char) === '';

/**
 * A post's, page's, category's or tag's slug, as WordPress makes it: slugFrom's ASCII where it can spell the text;
 * what it cannot (Chinese, Japanese, Thai, emoji…) kept in percent-encoded UTF-8 (`2026年东京` →
 * `2026%e5%b9%b4%e4%b8%9c%e4%ba%ac`), so such an entry has an address, the one it had on WordPress.
 */
export function wordpressSlugFrom(text: string): string {
  const chars = [...text.normalize('NFC')].slice(0, MAX_READ);
  if (!chars.some(untransliterated)) return slugFrom(text);
  // Runs alternate: what slugFrom spells, and what is encoded; a mark stays with the character it is written on.
  const runs: { encoded: boolean; chars: string[] }[] = [];
  for (const char of chars) {
    const last = runs.at(-1);
    const encoded = last && MARK.test(char) ? last.encoded : untransliterated(char);
    if (last?.encoded === encoded) last.chars.push(char);
    else runs.push({ encoded, chars: [char] });
  }
  let slug = '';
  for (const { encoded, chars: run } of runs) {
    if (encoded) {
      slug += percentEncoded(run);
      continue;
    }
    // Separators at a spelled run's edges (the space before a Chinese word) are the dash between it and its neighbours.
    const spelled = slugFrom(run.join(''));
    if (SEPARATOR.test(run[0])) slug += '-';
    slug += spelled;
    if (spelled && SEPARATOR.test(run[run.length - 1])) slug += '-';
  }
  return cut(slug.replace(/-{2,}/g, '-').replace(/^-/, ''));
}

/** Each character as WordPress writes it in a slug: lowercased, its UTF-8 bytes in lowercase %xx. */
const percentEncoded = (chars: string[]) => chars.map((char) => encodeURIComponent(char.toLowerCase()).toLowerCase()).join('');

/** One character of a slug: an ASCII one, or a character's UTF-8 bytes escaped (a lead byte and its continuations). */
const SLUG_CHARACTER = /%[0-7c-f][0-9a-f](?:%[89ab][0-9a-f])*|[^%]/g;

/** At most MAX_LENGTH characters, never cutting through a character's escapes, and no dash at the end. */
function cut(slug: string): string {
  let kept = '';
  for (const [character] of slug.matchAll(SLUG_CHARACTER)) {
    if (kept.length + character.length > MAX_LENGTH) break;
    kept += character;
  }
  return trimTrailing(kept, '-');
}

/** A slug as a person reads and types it, in the editor's box (`%e6%9d%b1` → `東`). */
export function readableSlug(slug: string): string {
  try {
    return decodeURIComponent(slug);
  } catch {
    return slug;
  }
}

/** Whether a page at /<slug>/ would hide one of the blog's own routes (a year archive too). */
export const isReservedPageSlug = (slug: string) => RESERVED.has(slug) || /^\d+$/.test(slug);
