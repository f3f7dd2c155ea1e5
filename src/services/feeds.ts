import { atomXml, rssXml, type FeedDocument, type FeedImage } from './feed-xml.js';
import { atomFeedPath, categoryPath, feedPath, postPath, SITEMAP_PATH, sitemapFilePath, tagPath } from '../permalinks.js';
import type { PostsService } from './posts.js';
import { isProtected } from './post-passwords.js';
import { escapeHtml } from './markdown.js';
import { translator } from '../i18n/index.js';
import type { SettingsService } from './settings.js';
import type { PostsRepository } from '../repositories/posts.js';
import type { Post } from '../models.js';

export type FeedFormat = 'rss' | 'atom';
export type FeedSubject = { kind: 'home' } | { kind: 'category' | 'tag'; slug: string };

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

/** The most URLs one sitemap file holds (the protocol allows 50,000; small files build fast). */
export const SITEMAP_MAX_URLS = 2000;
/** Ids per numbered file: one URL less than the most, as the first file also lists the home page. */
const SPAN = SITEMAP_MAX_URLS - 1;
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text safe in an XML element or attribute. Sitemaps are written as strings: thousands of URLs a file. */
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
const sitemapEntry = (element: 'url' | 'sitemap', loc: string, modified: string) =>
  `  <${element}>\n    <loc>${escapeXml(loc)}</loc>\n    <lastmod>${new Date(modified).toISOString()}</lastmod>\n  </${element}>\n`;

/** A srcset's site-relative candidates made absolute (candidates are `address width`, comma-separated). */
const absoluteSrcset = (list: string, base: string) =>
  list.split(',').map((candidate) => candidate.trim()).map((c) => (c.startsWith('/') && !c.startsWith('//') ? `${base}${c}` : c)).join(', ');
/** Makes the root-relative links and images of stored HTML absolute, as feed readers need. */
const absolutize = (html: string, base: string) => html
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

  /** The URLs of the id spans first to last (the home page with the first); null when they hold none. */
  const urlset = (first: number, last: number) => {
    const entries = postsRepo.sitemapEntries((first - 1) * SPAN + 1, last * SPAN);
    if (entries.length === 0 && first !== 1) return null;
    const timeZone = settings.get().timeZone;
    let xml = `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n`;
    if (first === 1) xml += `  <url>\n    <loc>${escapeXml(url('/'))}</loc>\n    <changefreq>daily</changefreq>\n  </url>\n`;
    for (const post of entries) xml += sitemapEntry('url', url(postPath(post, timeZone)), post.updatedAt);
    return `${xml}</urlset>`;
  };

  return {
    feed(subject, format) {
      const listing = posts.newest(subject);
      if (!listing) return null;
      const site = settings.get();
      const t = translator(site.language);
      const base = subject.kind === 'home' ? '/' : (subject.kind === 'category' ? categoryPath : tagPath)(subject.slug);
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
      const spans = postsRepo.sitemapSpans(SPAN);
      if (1 + spans.reduce((sum, span) => sum + span.count, 0) <= SITEMAP_MAX_URLS) return urlset(1, spans.at(-1)?.span ?? 1)!;
      let xml = `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n`;
      for (const { span, lastmod } of spans) xml += sitemapEntry('sitemap', url(sitemapFilePath(span)), lastmod);
      return `${xml}</sitemapindex>`;
    },

    sitemapFile: (n) => urlset(n, n),

    robots() {
      return `User-agent: *\nDisallow: /admin/\n\nSitemap: ${url(SITEMAP_PATH)}\n`;
    },
  };
}
