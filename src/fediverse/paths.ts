/** Where the blog speaks ActivityPub; cheap checks that decide, before Fedify is loaded, whether a request is federated. */
export const ACTOR_PATH = '/fediverse/users/{identifier}';
export const INBOX_PATH = '/fediverse/users/{identifier}/inbox';
export const SHARED_INBOX_PATH = '/fediverse/inbox';
export const OUTBOX_PATH = '/fediverse/users/{identifier}/outbox';
export const FOLLOWERS_PATH = '/fediverse/users/{identifier}/followers';

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

/** A GET that asks for the ActivityStreams form of a page rather than the page. */
export const asksForActivity = (method: string | undefined, accept: string | undefined) =>
  (method === 'GET' || method === 'HEAD') && wantsActivity(accept) && !prefersHtml(accept!);

/** Whether a raw request is federated (for the page cache, which runs before Express parses anything). */
export const isFederated = (req: { method?: string; url?: string; headers: { accept?: string } }) =>
  asksForActivity(req.method, req.headers.accept) || isFederationPath((req.url ?? '').split('?', 1)[0]);
