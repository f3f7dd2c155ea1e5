import { atomXml, rssXml, type FeedDocument, type FeedImage } from './feed-xml.js';
import { atomFeedPath, authorPath, categoryPath, feedPath, postPath, SITEMAP_PATH, sitemapFilePath, tagPath } from '../permalinks.js';
import type { PostsService } from './posts.js';
import { isProtected } from './post-passwords.js';
import { escapeHtml } from './markdown.js';
import { translator } from '../i18n/index.js';
import type { SettingsService } from './settings.js';
import { SITEMAP_SPAN, type PostsRepository } from '../repositories/posts.js';
import type { Post } from '../models.js';

export type FeedFormat = 'rss' | 'atom';
export type FeedSubject = { kind: 'home' } | { kind: 'category' | 'tag'; slug: string } | { kind: 'author'; login: string };

export interface FeedsService {
  /** The feed's XML, or null when its category or tag does not exist. */
  feed(subject: FeedSubject, format: FeedFormat): string | null;
  /** /sitemap.xml: every URL while they fit in one file, else an index of the numbered files. */
  sitemap(): string;
  /** A numbered sitemap file, or null when there is no such file. */
  sitemapFile(n: number): string | null;
  robots(): string;
}

export interface FeedsServiceDeps {
  posts: PostsService;
  postsRepo: PostsRepository;
  settings: SettingsService;
}

/** The most URLs one sitemap file holds (the protocol allows 50,000; small files build fast): its span and the home page. */
const SITEMAP_MAX_URLS = SITEMAP_SPAN + 1;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text safe in an XML element or attribute. Sitemaps are written as strings: thousands of URLs a file. */
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
/** `modified` comes from the database already as a W3C datetime (null for a stored time that is not one). */
const sitemapEntry = (element: 'url' | 'sitemap', loc: string, modified: string | null) =>
  `  <${element}>\n    <loc>${escapeXml(loc)}</loc>\n${modified ? `    <lastmod>${modified}</lastmod>\n` : ''}  </${element}>\n`;

/** A srcset's site-relative candidates made absolute (candidates are `address width`, comma-separated). */
const absoluteSrcset = (list: string, base: string) =>
  list.split(',').map((candidate) => candidate.trim()).map((c) => (c.startsWith('/') && !c.startsWith('//') ? `${base}${c}` : c)).join(', ');
/** Makes the root-relative links and images of stored HTML absolute, as feed readers need. */
export const absolutize = (html: string, base: string) => html
  .replace(/(\s(?:href|src))="\/(?!\/)/g, `$1="${base}/`)
  .replace(/\ssrcset="([^"]*)"/g, (_, list: string) => ` srcset="${absoluteSrcset(list, base)}"`);

/** A post's featured image for its feed entry, its address absolute; none for a protected post (as on its page). */
function feedImage(post: Post, base: string): (FeedImage & { alt: string }) | undefined {
  const image = post.featuredImage;
  if (!image || isProtected(post)) return undefined;
  const url = image.src.startsWith('/') ? `${base}${image.src}` : image.src;
  return { url, mime: image.mime, width: image.width, height: image.height, alt: image.name || post.title };
}

/** The image at the top of an entry's content, for readers that show only the content's own pictures. */
const imageHtml = ({ url, alt, width, height }: FeedImage & { alt: string }) =>
  `<p><img src="${escapeHtml(url)}" alt="${escapeHtml(alt)}"${width && height ? ` width="${width}" height="${height}"` : ''}></p>\n`;

export function createFeedsService({ posts, postsRepo, settings }: FeedsServiceDeps): FeedsService {
  // The site's address is a setting: read it per feed, so a change shows at once.
  const url = (path: string) => `${settings.siteUrl()}${path}`;

  /** The URLs of the posts with ids from `fromId` to `toId` (the home page with the first); null when they hold none. */
  const urlset = (fromId: number, toId: number) => {
    const entries = postsRepo.sitemapEntries(fromId, toId);
    const first = fromId === 1;
    if (entries.length === 0 && !first) return null;
    const timeZone = settings.get().timeZone;
    let xml = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n`;
    if (first) xml += `  <url>\n    <loc>${escapeXml(url('/'))}</loc>\n    <changefreq>daily</changefreq>\n  </url>\n`;
    for (const post of entries) xml += sitemapEntry('url', url(postPath(post, timeZone)), post.updatedAt);
    return `${xml}</urlset>`;
  };

  return {
    feed(subject, format) {
      const listing = posts.newest(subject);
      if (!listing) return null;
      const site = settings.get();
      const t = translator(site.language);
      const base = subject.kind === 'home' ? '/' : subject.kind === 'author' ? authorPath(subject.login) : (subject.kind === 'category' ? categoryPath : tagPath)(subject.slug);
      const title = subject.kind === 'home' || !listing.subject ? site.title : `${site.title} » ${listing.subject}`;
      const newest = listing.items[0];
      const document: FeedDocument = {
        title,
        description: site.tagline,
        link: url(base),
        selfLinks: { rss: url(feedPath(base)), atom: url(atomFeedPath(base)) },
        language: site.language,
        updated: new Date(newest?.updatedAt ?? Date.now()),
        entries: listing.items.map((post) => {
          const image = feedImage(post, settings.siteUrl());
          return {
            title: isProtected(post) ? t('post.protectedTitle', { title: post.title }) : post.title,
            link: url(postPath(post, site.timeZone)),
            published: new Date(post.publishedAt!),
            updated: new Date(post.updatedAt),
            // A protected post's words stay behind its password: WordPress's sentence instead, and no content.
            summaryHtml: isProtected(post) ? escapeHtml(t('post.protectedExcerpt')) : absolutize(post.excerptHtml, settings.siteUrl()),
            contentHtml: isProtected(post) ? '' : (image ? imageHtml(image) : '') + absolutize(post.bodyHtml, settings.siteUrl()),
            author: post.authorName,
            categories: [...post.categories, ...post.tags].map((t) => t.name),
            image,
          };
        }),
      };
      return format === 'rss' ? rssXml(document) : atomXml(document);
    },

    sitemap() {
      if (1 + postsRepo.countPublishedUpTo(SITEMAP_MAX_URLS) <= SITEMAP_MAX_URLS) return urlset(1, Number.MAX_SAFE_INTEGER)!;
      let xml = `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n`;
      for (const { span, lastmod } of postsRepo.sitemapSpans()) xml += sitemapEntry('sitemap', url(sitemapFilePath(span)), lastmod);
      return `${xml}</sitemapindex>`;
    },

    sitemapFile: (n) => urlset((n - 1) * SITEMAP_SPAN + 1, n * SITEMAP_SPAN),

    robots() {
      return `User-agent: *\nDisallow: /admin/\n\nSitemap: ${url(SITEMAP_PATH)}\n`;
    },
  };
}
