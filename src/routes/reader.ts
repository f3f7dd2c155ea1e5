import { Router, type Request, type Response } from 'express';
import { notFound } from '../http/errors.js';
import type { ViewHelpers } from '../http/locals.js';
import type { Archive } from '../services/archive-filter.js';
import type { PostsService } from '../services/posts.js';
import type { SearchService } from '../services/search.js';
import type { CommentsService } from '../services/comments.js';
import type { WordPressLinks, WordPressQuery } from '../services/wordpress-links.js';
import { atomFeedPath, authorPath, categoryPath, commentPagePath, dayPath, feedPath, isDay, isMonth, isYear, monthPath, postPath, parentPath, searchPath, slugOfPath, tagPath, yearPath } from '../permalinks.js';
import { pageParam, pagination } from './paging.js';
import { archiveHeading } from './reader-meta.js';
import { renderPostPage, type LoginOptions } from './post-page.js';

export interface ReaderDeps {
  posts: PostsService;
  search: SearchService;
  comments: CommentsService;
  login: LoginOptions;
  /** Where a post that once lived at a path lives now (see old-permalinks.ts). */
  movedTo: (path: string) => string | null;
  wordpressLinks: WordPressLinks;
}

/** One query-string value, whatever shape the parser gave it. */
const queryString = (value: unknown) => (typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined);

/** Longer paths are no page's (pages nest at most 10 deep: MAX_PAGE_DEPTH in repositories/post-columns.ts). */
const MAX_PAGE_SLUGS = 10;

export function readerRouter({ posts, search, comments, login, movedTo, wordpressLinks }: ReaderDeps): Router {
  const router = Router();

  function showArchive(req: Request, res: Response, archive: Archive, base: string) {
    const page = pageParam(req, res, base);
    if (page === null) return;
    const listing = posts.archive(archive, page, { stickyFirst: true });
    if (!listing) throw notFound();
    const helpers = res.locals as ViewHelpers;
    const heading = archiveHeading(archive, listing.subject, helpers);
    const feedTitle = helpers.t(archive.kind === 'author' ? 'feed.author' : 'feed.term', { site: helpers.site.title, name: listing.subject ?? '' });
    const archiveFeeds = archive.kind === 'category' || archive.kind === 'tag' || archive.kind === 'author'
      ? [{ type: 'application/rss+xml', title: feedTitle, href: feedPath(base) }, { type: 'application/atom+xml', title: feedTitle, href: atomFeedPath(base) }]
      : [];
    res.render('archive', {
      listing,
      heading,
      pagination: pagination(base, page, listing.totalPages),
      meta: {
        title: heading ?? '',
        description: helpers.site.tagline,
        canonical: helpers.absolute(page > 1 ? `${base}page/${page}/` : base),
        feeds: archiveFeeds,
      },
    });
  }

  function showPage(req: Request, res: Response, next: () => void, slugs: string[]) {
    const found = posts.staticPage(slugs);
    // Not here: maybe an old permalink (see old-permalinks.ts), else the 404.
    if (!found) return next();
    if ('redirectTo' in found) return res.redirect(301, postPath(found.redirectTo, (res.locals as ViewHelpers).site.timeZone));
    renderPostPage(req, res, comments, login, found);
  }

  function showSearch(req: Request, res: Response, query: string) {
    const base = searchPath(query);
    const page = pageParam(req, res, base);
    if (page === null) return;
    const results = search.search(query, page);
    if (!results) throw notFound();
    const helpers = res.locals as ViewHelpers;
    res.render('search', {
      query,
      results,
      pagination: pagination(base, page, results.totalPages),
      meta: { title: helpers.t('search.title', { query }), noindex: true },
    });
  }

  router.get('/{page/:page}', (req, res) => {
    const query = queryString(req.query.s);
    // A search's own `paged` is no WordPress link to a list's page.
    if (query === undefined && wordpressLinks.isWordPressLink(req.query)) {
      const { p, page_id, cat, tag, m, feed, paged } = req.query;
      const link: WordPressQuery = {
        p: queryString(p), page_id: queryString(page_id), cat: queryString(cat), tag: queryString(tag), m: queryString(m),
        feed: queryString(feed), paged: queryString(paged),
      };
      const target = wordpressLinks.pathFor(link);
      if (!target) throw notFound();
      return res.redirect(301, target);
    }
    if (query !== undefined) return showSearch(req, res, query);
    showArchive(req, res, { kind: 'home' }, '/');
  });
  router.get('/category/:slug{/page/:page}', (req, res) => {
    const slug = slugOfPath(req.params.slug);
    showArchive(req, res, { kind: 'category', slug }, categoryPath(slug));
  });
  // WordPress's address of a child category, /category/parent/child/: ours is /category/child/.
  router.get('/category/*slugs', (req, res, next) => {
    const slugs = (req.params.slugs as unknown as string[]).filter(Boolean).map(slugOfPath);
    const paged = slugs.length > 2 && slugs[slugs.length - 2] === 'page' && /^\d{1,6}$/.test(slugs[slugs.length - 1]);
    const path = paged ? slugs.slice(0, -2) : slugs;
    const slug = path.length > 1 && path.length <= 20 ? posts.nestedCategory(path) : null;
    if (!slug) return next();
    res.redirect(301, `${categoryPath(slug)}${paged ? `page/${slugs[slugs.length - 1]}/` : ''}`);
  });
  router.get('/tag/:slug{/page/:page}', (req, res) => {
    const slug = slugOfPath(req.params.slug);
    showArchive(req, res, { kind: 'tag', slug }, tagPath(slug));
  });
  router.get('/author/:login{/page/:page}', (req, res) =>
    showArchive(req, res, { kind: 'author', login: req.params.login }, authorPath(req.params.login)));

  router.get('/:year/:month/:day/:slug', (req, res, next) => {
    const { year, month, day, slug } = req.params;
    if (!isYear(year) || !isMonth(month) || !isDay(day)) return next();
    const found = posts.postPage({ year, month, day }, slugOfPath(slug));
    // Not here: maybe an old permalink (see old-permalinks.ts), else the 404.
    if (!found) return next();
    const helpers = res.locals as ViewHelpers;
    // A post renamed away from this exact path keeps it, even when a newer post took the slug since.
    if ('redirectTo' in found) return res.redirect(301, movedTo(req.path) ?? postPath(found.redirectTo, helpers.site.timeZone));
    renderPostPage(req, res, comments, login, found);
  });

  // WordPress's address of a page of a post's comments: ours is the post's with ?cpage=N (the page checks the rest).
  router.get('/:year/:month/:day/:slug/comment-page-:n', (req, res, next) => {
    const { year, month, day, n } = req.params;
    if (!isYear(year) || !isMonth(month) || !isDay(day) || !/^[1-9]\d{0,5}$/.test(n)) return next();
    // The post's address as asked for, still encoded as the browser sent it.
    res.redirect(301, commentPagePath(parentPath(req.path), Number(n)));
  });

  router.get('/:year/:month/:day{/page/:page}', (req, res, next) => {
    const { year, month, day } = req.params;
    if (!isYear(year) || !isMonth(month) || !isDay(day)) return next();
    showArchive(req, res, { kind: 'day', year, month, day }, dayPath(year, month, day));
  });

  router.get('/:year/:month{/page/:page}', (req, res, next) => {
    const { year, month } = req.params;
    if (!isYear(year) || !isMonth(month)) return next();
    showArchive(req, res, { kind: 'month', year, month }, monthPath(year, month));
  });

  router.get('/:slug{/page/:page}', (req, res, next) => {
    const { slug } = req.params;
    if (isYear(slug)) return showArchive(req, res, { kind: 'year', year: slug }, yearPath(slug));
    if (req.params.page !== undefined) throw notFound();
    showPage(req, res, next, [slugOfPath(slug)]);
  });

  // A child page at /parent/child/, any depth.
  router.get('/*slugs', (req, res, next) => {
    const slugs = (req.params.slugs as unknown as string[]).filter(Boolean).map(slugOfPath);
    if (slugs.length < 2 || slugs.length > MAX_PAGE_SLUGS) return next();
    // A page of a page's comments at WordPress's address (see the posts' own above).
    const commentPage = /^comment-page-([1-9]\d{0,5})$/.exec(slugs[slugs.length - 1]);
    if (commentPage) return res.redirect(301, commentPagePath(parentPath(req.path), Number(commentPage[1])));
    showPage(req, res, next, slugs);
  });

  return router;
}
