import type { ViewHelpers } from '../http/locals.js';
import { firstWords } from '../services/markdown.js';
import { feedPath } from '../permalinks.js';
import type { Archive } from '../services/archive-filter.js';
import type { PostWithTerms } from '../services/posts.js';

/** The heading of an archive page; the home page has none. */
export function archiveHeading(archive: Archive, subject: string | undefined, h: ViewHelpers): string | undefined {
  switch (archive.kind) {
    case 'home':
      return undefined;
    case 'category':
      return h.t('archive.category', { name: subject ?? '' });
    case 'tag':
      return h.t('archive.tag', { name: subject ?? '' });
    case 'author':
      return h.t('archive.author', { name: subject ?? '' });
    case 'year':
      return h.t('archive.year', { date: archive.year });
    case 'month': {
      const date = new Intl.DateTimeFormat(h.locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })
        .format(new Date(Date.UTC(Number(archive.year), Number(archive.month) - 1, 15)));
      return h.t('archive.month', { date });
    }
    case 'day': {
      const date = new Intl.DateTimeFormat(h.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
        .format(new Date(Date.UTC(Number(archive.year), Number(archive.month) - 1, Number(archive.day))));
      return h.t('archive.day', { date });
    }
  }
}

/** Canonical link, description, Open Graph and JSON-LD for a post or page. */
export function postMeta(post: PostWithTerms, h: ViewHelpers) {
  const url = h.absolute(h.postUrl(post));
  // A protected post's words are for those who know its password: no description in the page's head.
  const description = post.password ? undefined : firstWords(post.excerpt || post.bodyText, 30);
  // Its featured image as the social card's picture; a protected post's stays behind its password, as on its page.
  const featured = post.password ? null : post.featuredImage;
  const image = featured && {
    url: featured.src.startsWith('/') ? h.absolute(featured.src) : featured.src,
    alt: featured.name || post.title,
    width: featured.width,
    height: featured.height,
  };
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': post.type === 'post' ? 'BlogPosting' : 'WebPage',
    headline: post.title,
    description,
    url,
    mainEntityOfPage: url,
    inLanguage: post.lang ?? h.lang,
    datePublished: post.publishedAt,
    dateModified: post.updatedAt,
    author: { '@type': 'Person', name: post.authorName, url: h.absolute(h.authorUrl(post.authorLogin)) },
    publisher: { '@type': 'Organization', name: h.site.title },
    keywords: post.tags.map((t) => t.name).join(', ') || undefined,
    image: image ? image.url : undefined,
  };
  return {
    title: post.title,
    description,
    canonical: url,
    type: post.type === 'post' ? 'article' : 'website',
    lang: post.lang ?? undefined,
    publishedAt: post.publishedAt,
    image: image ?? undefined,
    // As WordPress: a post's comments feed is offered where it may hold comments, and never behind a password.
    feeds: post.type === 'post' && !post.password && (post.commentsOpen || post.commentCount > 0)
      ? [{ type: 'application/rss+xml', title: h.t('feed.postComments', { site: h.site.title, title: post.title }), href: feedPath(h.postUrl(post)) }]
      : [],
    // Serialized for a <script type="application/ld+json"> block: "<" can never close it.
    jsonLdHtml: JSON.stringify(jsonLd).replace(/</g, '\\u003c'),
  };
}
