import { create } from 'xmlbuilder2';
import { atomXml, rssXml, type FeedDocument } from './feed-xml.js';
import { atomFeedPath, categoryPath, feedPath, postPath, tagPath } from '../permalinks.js';
import type { PostsService } from './posts.js';
import type { SettingsService } from './settings.js';
import type { PostsRepository } from '../repositories/posts.js';

export type FeedFormat = 'rss' | 'atom';
export type FeedSubject = { kind: 'home' } | { kind: 'category' | 'tag'; slug: string };

export interface FeedsService {
  /** The feed's XML, or null when its category or tag does not exist. */
  feed(subject: FeedSubject, format: FeedFormat): string | null;
  sitemap(): string;
  robots(): string;
}

export interface FeedsServiceDeps {
  posts: PostsService;
  postsRepo: PostsRepository;
  settings: SettingsService;
}

/** Makes the root-relative links and images of stored HTML absolute, as feed readers need. */
const absolutize = (html: string, base: string) => html.replace(/(\s(?:href|src))="\/(?!\/)/g, `$1="${base}/`);

export function createFeedsService({ posts, postsRepo, settings }: FeedsServiceDeps): FeedsService {
  // The site's address is a setting: read it per feed, so a change shows at once.
  const url = (path: string) => `${settings.siteUrl()}${path}`;

  return {
    feed(subject, format) {
      const listing = posts.archive(subject, 1);
      if (!listing) return null;
      const site = settings.get();
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
        entries: listing.items.map((post) => ({
          title: post.title,
          link: url(postPath(post, site.timeZone)),
          published: new Date(post.publishedAt!),
          updated: new Date(post.updatedAt),
          summaryHtml: absolutize(post.excerptHtml, settings.siteUrl()),
          contentHtml: absolutize(post.bodyHtml, settings.siteUrl()),
          author: post.authorName,
          categories: [...post.categories, ...post.tags].map((t) => t.name),
        })),
      };
      return format === 'rss' ? rssXml(document) : atomXml(document);
    },

    sitemap() {
      const timeZone = settings.get().timeZone;
      const doc = create({ version: '1.0', encoding: 'UTF-8' }).ele('urlset', {
        xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9',
      });
      doc.ele('url').ele('loc').txt(url('/')).up().ele('changefreq').txt('daily');
      for (const post of postsRepo.allPublished()) {
        doc
          .ele('url')
          .ele('loc').txt(url(postPath(post, timeZone))).up()
          .ele('lastmod').txt(new Date(post.updatedAt).toISOString());
      }
      return doc.end({ prettyPrint: true });
    },

    robots() {
      return `User-agent: *\nDisallow: /admin/\n\nSitemap: ${url('/sitemap.xml')}\n`;
    },
  };
}
