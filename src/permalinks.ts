/** The one place URL shapes live. */

export interface Linkable {
  type: 'post' | 'page';
  slug: string;
  publishedAt: string | null;
  /** A page's ancestors' slugs, outermost first, each followed by '/' ('a/b/'); empty or absent for none. */
  ancestry?: string | null;
}

const DAY = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();
/** Per time zone, per UTC day number: the zone's offset from UTC all that day, or null on a day it changes. */
const dayOffsets = new Map<string, Map<number, number | null>>();

/** The zone's offset from UTC at an instant, in milliseconds (whole seconds, as time zones are). */
function offsetAt(time: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of format.formatToParts(time)) part[type] = Number(value);
  const wall = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
  return wall - (time - (((time % 1000) + 1000) % 1000));
}

/**
 * Year, month and day of an instant in a time zone, zero-padded. Intl is asked twice per distinct UTC day (a
 * sitemap lists thousands of posts over a few hundred days), and per instant only on a day the offset changes.
 */
export function localDateParts(iso: string, timeZone: string): { year: string; month: string; day: string } {
  const time = Date.parse(iso);
  let days = dayOffsets.get(timeZone);
  if (!days) dayOffsets.set(timeZone, (days = new Map()));
  if (days.size > 100_000) days.clear();
  const day = Math.floor(time / DAY);
  let offset = days.get(day);
  if (offset === undefined) {
    const first = offsetAt(day * DAY, timeZone);
    offset = first === offsetAt(day * DAY + DAY - 1, timeZone) ? first : null;
    days.set(day, offset);
  }
  const local = new Date(time + (offset ?? offsetAt(time, timeZone)));
  return {
    year: String(local.getUTCFullYear()).padStart(4, '0'),
    month: String(local.getUTCMonth() + 1).padStart(2, '0'),
    day: String(local.getUTCDate()).padStart(2, '0'),
  };
}

/** A post lives at /YYYY/MM/DD/slug/ (its local publication date), a page at /slug/ or /parent/slug/. */
export function postPath(post: Linkable, timeZone: string): string {
  if (post.type === 'page' || !post.publishedAt) return `/${post.ancestry ?? ''}${post.slug}/`;
  const { year, month, day } = localDateParts(post.publishedAt, timeZone);
  return `/${year}/${month}/${day}/${post.slug}/`;
}

/**
 * A path as former permalinks are kept (see permalink-history.ts), its percent-encoded characters decoded as
 * WordPress's links read (`/東京/`); null when it is no valid encoding. A browser asks for `/%E6%9D%B1%E4%BA%AC/`.
 */
export function readablePath(path: string): string | null {
  try {
    return decodeURI(path);
  } catch {
    return null;
  }
}

export const categoryPath = (slug: string) => `/category/${slug}/`;
export const tagPath = (slug: string) => `/tag/${slug}/`;
export const authorPath = (login: string) => `/author/${login}/`;
export const yearPath = (year: string) => `/${year}/`;
export const monthPath = (year: string, month: string) => `/${year}/${month}/`;
export const dayPath = (year: string, month: string, day: string) => `/${year}/${month}/${day}/`;
export const searchPath = (query: string) => `/?s=${encodeURIComponent(query)}`;

/** Page N of a listing: page 1 is the listing itself, later pages add /page/N/. */
export function pagedPath(base: string, page: number): string {
  if (page <= 1) return base;
  const [pathPart, query] = base.split('?');
  return `${pathPart.replace(/\/?$/, '/')}page/${page}/${query ? `?${query}` : ''}`;
}

/** Uploaded images live under /uploads/. */
export const UPLOADS_BASE = '/uploads';
export const uploadPath = (fileName: string) => `${UPLOADS_BASE}/${fileName}`;

export const feedPath = (base = '/') => `${base}feed/`;
/** Page N of a post's comments (page 1 is the post's own address). */
export const commentPagePath = (postAddress: string, page: number) => (page > 1 ? `${postAddress}?cpage=${page}` : postAddress);
/** WordPress's comments feed is /comments/feed/ (and /comments/feed/atom/): the base its feeds hang from. */
export const COMMENTS_BASE = '/comments/';

/** The sitemap (an index of the numbered files once the blog outgrows one file) and its numbered files. */
export const SITEMAP_PATH = '/sitemap.xml';
export const sitemapFilePath = (n: number) => `/sitemap-${n}.xml`;
export const atomFeedPath = (base = '/') => `${base}feed/atom/`;

/** How deep a page may nest (/a/b/…/): the reader's routes and the Fediverse's permalink reading agree on it. */
export const MAX_PAGE_DEPTH = 10;

// [^/]+ and (?:[^/]+\/) each end where a '/' begins: one pass over the path, linear.
const POST_SHAPE = /^\/(\d{4})\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])\/([^/]+)\/$/;
const PAGE_SHAPE = /^\/((?:[^/]+\/)+)$/;

// POST_SHAPE's date parts each alone, for the date archives' routes (literals: regex-safety.test.ts checks them).
/** Four digits, 0001 to 9999: the proleptic Gregorian calendar has no year 0 (1 BC comes before 1 AD). */
export const isYear = (s: string) => /^\d{4}$/.test(s) && s !== '0000';
export const isMonth = (s: string) => /^(0[1-9]|1[0-2])$/.test(s);
export const isDay = (s: string) => /^(0[1-9]|[12]\d|3[01])$/.test(s);

/**
 * The slug an address names, in the form it is stored: Express hands a segment over decoded (`東京`), and a slug
 * in a script with no Latin spelling is kept percent-encoded (`%e6%9d%b1%e4%ba%ac`, see services/slugs.ts); an
 * ASCII one is the same either way. A `%` once decoded was `%25` in the address, which names no slug: it is
 * encoded again, to match none (as WordPress answers 404 to such an address).
 */
export const slugOfPath = (decoded: string) => (/^[\x20-\x24\x26-\x7e]*$/.test(decoded) ? decoded : encodeURIComponent(decoded).toLowerCase());

/** A path segment as the slug it names (see slugOfPath); null when its encoding is broken. */
const slugOfSegment = (part: string): string | null => {
  try {
    return slugOfPath(decodeURIComponent(part));
  } catch {
    return null;
  }
};

export type PermalinkShape =
  | { kind: 'post'; date: { year: string; month: string; day: string }; slug: string }
  | { kind: 'page'; slugs: string[] };

/**
 * What a request path would be by its shape alone: a post's /YYYY/MM/DD/slug/ or a page's /slug/ or /parent/slug/
 * (slugs as stored: see slugOfPath). Null for anything else, a path without its trailing slash or with a broken encoding included.
 * A page shape also matches the blog's own listings (/feed/, /2024/): whether a page lives there is the caller's to ask.
 */
export function permalinkShape(path: string): PermalinkShape | null {
  const dated = POST_SHAPE.exec(path);
  if (dated) {
    const slug = slugOfSegment(dated[4]);
    return slug === null ? null : { kind: 'post', date: { year: dated[1], month: dated[2], day: dated[3] }, slug };
  }
  const page = PAGE_SHAPE.exec(path);
  if (!page) return null;
  const slugs = page[1].slice(0, -1).split('/').map(slugOfSegment);
  return slugs.includes(null) || slugs.length > MAX_PAGE_DEPTH ? null : { kind: 'page', slugs: slugs as string[] };
}

/** The path one segment up (`/a/b/` → `/a/`), cut at a slash: the last segment may arrive encoded in any way. */
export function parentPath(path: string): string {
  const end = path.endsWith('/') ? path.length - 1 : path.length;
  return path.slice(0, path.lastIndexOf('/', end - 1) + 1);
}

/** Express route patterns for the shapes above. */
export const routes = {
  home: '/',
  homePaged: '/page/:page',
  post: '/:year/:month/:day/:slug',
  year: '/:year',
  month: '/:year/:month',
  category: '/category/:slug',
  tag: '/tag/:slug',
  author: '/author/:login',
  page: '/:slug',
} as const;
