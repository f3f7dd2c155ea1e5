import { Router, type NextFunction, type Request, type Response } from 'express';
import { notFound } from '../http/errors.js';
import { COMMENTS_BASE, feedPath, isDay, isMonth, isYear, parentPath, postPath, SITEMAP_PATH, slugOfPath } from '../permalinks.js';
import type { ViewHelpers } from '../http/locals.js';
import type { CommentFeedsService, CommentFeedSubject } from '../services/comment-feeds.js';
import type { FeedFormat, FeedsService } from '../services/feeds.js';
import { isProtected } from '../services/post-passwords.js';
import type { PostsService } from '../services/posts.js';
import type { CacheView } from '../cache/tags.js';

const TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

/** WordPress's older names of its RSS feed (`/feed/rss2/`), which feed readers subscribed to keep asking for. */
const OLD_RSS_NAMES = new Set(['rss2', 'rss', 'rdf']);

export interface FeedsRouteDeps {
  feeds: FeedsService;
  commentFeeds: CommentFeedsService;
  posts: Pick<PostsService, 'postPage'>;
  /** Where a post that once lived at a path lives now (see old-permalinks.ts): its feed moved with it. */
  movedTo: (path: string) => string | null;
}

export function feedsRouter({ feeds, commentFeeds, posts, movedTo }: FeedsRouteDeps): Router {
  const router = Router();

  const sendFeed = (res: Response, format: FeedFormat, xml: string | null, shows?: CacheView) => {
    if (xml === null) throw notFound();
    // A feed has no template whose locals the page cache reads: what it shows is said here (see cache/record.ts).
    if (shows) res.locals.cacheView = shows;
    res.type(TYPES[format]).set('Cache-Control', 'public, max-age=300').send(xml);
  };

  /**
   * A feed at `<path>/feed/` and its Atom twin at `<path>/feed/atom/`; WordPress's older names of the RSS one answer
   * 301 to it. `send` answers with the feed in the format asked for.
   */
  const feedRoute = (path: string, send: (req: Request, res: Response, format: FeedFormat, next: NextFunction) => void) =>
    router.get(`${path}/feed{/:format}`, (req, res, next) => {
      const { format } = req.params as { format?: string };
      if (format === undefined || format === 'atom') return send(req, res, format === 'atom' ? 'atom' : 'rss', next);
      if (OLD_RSS_NAMES.has(format)) return res.redirect(301, parentPath(req.path));
      next();
    });
  const param = (req: Request, name: string) => (req.params as Record<string, string>)[name];

  feedRoute('', (_req, res, format) => sendFeed(res, format, feeds.feed({ kind: 'home' }, format)));
  for (const kind of ['category', 'tag'] as const) {
    feedRoute(`/${kind}/:slug`, (req, res, format) => sendFeed(res, format, feeds.feed({ kind, slug: slugOfPath(param(req, 'slug')) }, format)));
  }
  feedRoute('/author/:login', (req, res, format) => sendFeed(res, format, feeds.feed({ kind: 'author', login: param(req, 'login') }, format)));

  const sendComments = (res: Response, format: FeedFormat, subject: CommentFeedSubject) =>
    sendFeed(res, format, commentFeeds.feed(subject, format), { commentFeed: subject.kind === 'post' ? { postId: subject.post.id } : {} });
  const atFormat = (base: string, format: FeedFormat) => `${feedPath(base)}${format === 'atom' ? 'atom/' : ''}`;
  feedRoute(COMMENTS_BASE.slice(0, -1), (_req, res, format) => sendComments(res, format, { kind: 'site' }));
  // A post's own comments; none for a post behind a password, as its page shows none.
  feedRoute('/:year/:month/:day/:slug', (req, res, format, next) => {
    const [year, month, day, slug] = ['year', 'month', 'day', 'slug'].map((name) => param(req, name));
    if (!isYear(year) || !isMonth(month) || !isDay(day)) return next();
    const found = posts.postPage({ year, month, day }, slugOfPath(slug));
    if (!found) {
      // A post renamed since: its feed moved with it. The post's path as asked for is the feed's first four segments.
      const moved = movedTo(`${req.path.split('/').slice(0, 5).join('/')}/`);
      if (moved) return res.redirect(301, atFormat(moved, format));
      throw notFound();
    }
    if ('redirectTo' in found) return res.redirect(301, atFormat(postPath(found.redirectTo, (res.locals as ViewHelpers).site.timeZone), format));
    if (isProtected(found.post)) throw notFound();
    sendComments(res, format, { kind: 'post', post: found.post });
  });
  const sendXml = (res: Response, xml: string) => res.type('application/xml; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(xml);
  router.get(SITEMAP_PATH, (_req, res) => sendXml(res, feeds.sitemap()));
  router.get('/sitemap-:n.xml', (req, res) => {
    const xml = /^[1-9]\d{0,6}$/.test(req.params.n) ? feeds.sitemapFile(Number(req.params.n)) : null;
    if (xml === null) throw notFound();
    sendXml(res, xml);
  });
  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain; charset=utf-8').send(feeds.robots());
  });
  return router;
}
