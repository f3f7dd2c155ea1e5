/** The one place URL shapes live. */

export interface Linkable {
  type: 'post' | 'page';
  slug: string;
  publishedAt: string | null;
}

/** Year, month and day of an instant in a time zone, zero-padded. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

export function localDateParts(iso: string, timeZone: string): { year: string; month: string; day: string } {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** A post lives at /YYYY/MM/DD/slug/ (its local publication date), a page at /slug/. */
export function postPath(post: Linkable, timeZone: string): string {
  if (post.type === 'page' || !post.publishedAt) return `/${post.slug}/`;
  const { year, month, day } = localDateParts(post.publishedAt, timeZone);
  return `/${year}/${month}/${day}/${post.slug}/`;
}

export const categoryPath = (slug: string) => `/category/${slug}/`;
export const tagPath = (slug: string) => `/tag/${slug}/`;
export const authorPath = (login: string) => `/author/${login}/`;
export const yearPath = (year: string) => `/${year}/`;
export const monthPath = (year: string, month: string) => `/${year}/${month}/`;
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

/** The sitemap (an index of the numbered files once the blog outgrows one file) and its numbered files. */
export const SITEMAP_PATH = '/sitemap.xml';
export const sitemapFilePath = (n: number) => `/sitemap-${n}.xml`;
export const atomFeedPath = (base = '/') => `${base}feed/atom/`;

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
