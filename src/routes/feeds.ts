import { Router, type Response } from 'express';
import { notFound } from '../http/errors.js';
import { SITEMAP_PATH } from '../permalinks.js';
import type { FeedFormat, FeedsService, FeedSubject } from '../services/feeds.js';
import { slugOfPath } from '../services/slugs.js';

const TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
};

export function feedsRouter(feeds: FeedsService): Router {
  const router = Router();

  const send = (res: Response, subject: FeedSubject, format: FeedFormat) => {
    const xml = feeds.feed(subject, format);
    if (xml === null) throw notFound();
    res.type(TYPES[format]).set('Cache-Control', 'public, max-age=300').send(xml);
  };

  router.get('/feed', (_req, res) => send(res, { kind: 'home' }, 'rss'));
  router.get('/feed/atom', (_req, res) => send(res, { kind: 'home' }, 'atom'));
  for (const kind of ['category', 'tag'] as const) {
    router.get(`/${kind}/:slug/feed`, (req, res) => send(res, { kind, slug: slugOfPath(req.params.slug) }, 'rss'));
    router.get(`/${kind}/:slug/feed/atom`, (req, res) => send(res, { kind, slug: slugOfPath(req.params.slug) }, 'atom'));
  }
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
