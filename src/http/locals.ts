import type { RequestHandler } from 'express';
import { dateFormatter, localeOf, say, translator, type Message } from '../i18n/index.js';
import type { Post, Settings } from '../models.js';
import { authorPath, categoryPath, COMMENTS_BASE, feedPath, atomFeedPath, postPath, tagPath } from '../permalinks.js';

/** What every template may use: the site's settings, the translator and small formatting helpers. */
export function viewHelpers(site: Settings, siteUrl: string, asset: (file: string) => string) {
  const t = translator(site.language);
  return {
    site,
    t,
    /** A service's message (a key, maybe with values) in the site's language. */
    say: (message: Message) => say(t, message),
    lang: site.language,
    locale: localeOf(site.language),
    asset,
    absolute: (path: string) => `${siteUrl}${path}`,
    postUrl: (post: Pick<Post, 'type' | 'slug' | 'publishedAt'>) => postPath(post, site.timeZone),
    categoryUrl: categoryPath,
    tagUrl: tagPath,
    authorUrl: authorPath,
    date: dateFormatter(site.language, site.timeZone),
    dateTime: dateFormatter(site.language, site.timeZone, true),
    /** Gravatar by the email's hash, or the local default picture. */
    avatarUrl: (hash: string) => (hash && site.useGravatar ? `https://gravatar.com/avatar/${hash}?s=80&d=mp` : asset('images/avatar.svg')),
    /** A comment's author as shown: a nameless comment is stored with an empty name, said in the site's language. */
    commentAuthor: (name: string) => name || t('comments.anonymous'),
    commentsLabel: (count: number) =>
      count === 0 ? t('post.comments.zero') : t('post.comments.many', { count }),
    siteFeeds: [
      { type: 'application/rss+xml', title: t('feed.rss', { site: site.title }), href: feedPath() },
      { type: 'application/atom+xml', title: t('feed.atom', { site: site.title }), href: atomFeedPath() },
      { type: 'application/rss+xml', title: t('feed.comments', { site: site.title }), href: feedPath(COMMENTS_BASE) },
    ],
  };
}

export type ViewHelpers = ReturnType<typeof viewHelpers>;

/** The part of the settings service the view helpers read. */
export interface SiteSettings {
  get(): Settings;
  siteUrl(): string;
}

export function localsMiddleware(settings: SiteSettings, asset: (file: string) => string): RequestHandler {
  // Settings are a frozen object replaced on change (the site URL among them), so the helpers are rebuilt only then.
  let cached: { site: Settings; helpers: ViewHelpers } | undefined;
  return (req, res, next) => {
    const site = settings.get();
    if (cached?.site !== site) cached = { site, helpers: viewHelpers(site, settings.siteUrl(), asset) };
    Object.assign(res.locals, cached.helpers, { currentPath: req.path });
    next();
  };
}
