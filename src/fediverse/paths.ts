import { permalinkShape } from '../permalinks.js';
import { isReservedPageSlug } from '../services/slugs.js';

/** Where the blog speaks ActivityPub; cheap checks that decide, before Fedify is loaded, whether a request is federated. */
export const ACTOR_PATH = '/fediverse/users/{identifier}';
export const INBOX_PATH = '/fediverse/users/{identifier}/inbox';
export const SHARED_INBOX_PATH = '/fediverse/inbox';
export const OUTBOX_PATH = '/fediverse/users/{identifier}/outbox';
export const FOLLOWERS_PATH = '/fediverse/users/{identifier}/followers';

/** The blog actor's inbox and the shared inbox: where other instances POST. */
export const isInboxPath = (path: string) => path === SHARED_INBOX_PATH || /^\/fediverse\/users\/[^/]+\/inbox$/.test(path);

/** Paths only Fedify answers. */
export const isFederationPath = (path: string) =>
  path === '/.well-known/webfinger' || path === '/.well-known/nodeinfo' || path.startsWith('/fediverse/') || path.startsWith('/nodeinfo/');

/** An ActivityPub client's Accept: activity+json, or ld+json (with or without the ActivityStreams profile). */
export const wantsActivity = (accept: string | undefined) => !!accept && /application\/(activity|ld)\+json/i.test(accept);

/** Whether a browser's Accept prefers HTML (a browser that also names JSON after HTML gets the page). */
const prefersHtml = (accept: string) => {
  const html = accept.search(/text\/html/i);
  const json = accept.search(/application\/(activity|ld)\+json/i);
  return html >= 0 && html < json;
};

/**
 * Where a page has an ActivityStreams form: the home page without a query (the actor; /?s= is a search), and a
 * path shaped like a post's or page's permalink. Stylesheets, feeds, listings and a path missing its trailing
 * slash are not: they answer as for a browser, and never load Fedify.
 */
const negotiable = (path: string, query: string | undefined) => {
  if (path === '/') return query === undefined;
  const shape = permalinkShape(path);
  return shape !== null && (shape.kind === 'post' || !isReservedPageSlug(shape.slugs[0]));
};

/** A GET that asks for the ActivityStreams form of a page that may have one, rather than the page. */
export const asksForActivity = (req: { method?: string; url?: string; headers: { accept?: string } }) => {
  const { method, url = '/' } = req;
  const { accept } = req.headers;
  if ((method !== 'GET' && method !== 'HEAD') || !wantsActivity(accept) || prefersHtml(accept!)) return false;
  const queryAt = url.indexOf('?');
  return queryAt < 0 ? negotiable(url, undefined) : negotiable(url.slice(0, queryAt), url.slice(queryAt + 1));
};

/** Whether a raw request is federated (for the page cache, which runs before Express parses anything). */
export const isFederated = (req: { method?: string; url?: string; headers: { accept?: string } }) =>
  asksForActivity(req) || isFederationPath((req.url ?? '').split('?', 1)[0]);
