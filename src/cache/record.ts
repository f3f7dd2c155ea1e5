import type { ServerResponse } from 'node:http';
import { formTokenWindowEnd } from '../services/comment-form-token.js';
import { makeEntry, storableHeaders } from './entry.js';
import type { Store } from './store.js';
import { tagsOf } from './tags.js';
import type { Miss } from './types.js';

/** What the page cache keeps: pages, feeds, the sitemap and robots.txt; never files, JSON or images. */
const CACHEABLE_TYPE = /^(?:text\/html|text\/plain|application\/(?:rss\+|atom\+)?xml)(?:;|$)/;

const storable = (res: ServerResponse) => {
  const cacheControl = res.getHeader('Cache-Control');
  const type = res.getHeader('Content-Type');
  return res.statusCode === 200 && res.getHeader('Set-Cookie') === undefined
    && typeof cacheControl === 'string' && cacheControl.startsWith('public')
    && typeof type === 'string' && CACHEABLE_TYPE.test(type);
};

/** A page with a comment form is true only while its form's token is young enough (see formTokenWindowEnd). */
const expiryOf = (locals: unknown) => {
  const token = (locals as { form?: { token?: unknown } } | undefined)?.form?.token;
  return typeof token === 'string' ? formTokenWindowEnd(token) : Number.POSITIVE_INFINITY;
};

type Render = (view: string, options?: unknown, callback?: unknown) => void;
type End = (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;

/**
 * On a miss, keeps what the normal path answered: the locals the page was rendered with (for its tags) and the
 * body as the app ended the response, before compression (this wrapper is installed after the compression
 * middleware's, so it runs first). The answer is stored as soon as it went out, if it is one the cache may keep.
 */
export function recordMiss(store: Store, miss: Miss, res: ServerResponse) {
  const response = res as unknown as { render: Render; end: End };
  let locals: unknown;
  const render = response.render;
  response.render = function (this: unknown, view, options, callback) {
    if (typeof options === 'object') locals = options;
    return render.call(this, view, options, callback);
  };
  const end = response.end;
  response.end = function (this: ServerResponse, chunk, encoding, callback) {
    const sent = end.call(this, chunk, encoding, callback);
    if ((typeof chunk === 'string' || Buffer.isBuffer(chunk)) && storable(res)) {
      const body = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk;
      const entry = makeEntry({
        key: miss.key,
        headers: storableHeaders(res.getHeaders()),
        lastModified: String(res.getHeader('Last-Modified') ?? new Date().toUTCString()),
        body,
        // Sent without a template (a feed), a page may say what it shows in res.locals.cacheView.
        tags: tagsOf(locals ?? (res as unknown as { locals?: { cacheView?: unknown } }).locals?.cacheView),
        expiresAt: expiryOf(locals),
      });
      store.put(entry, miss.generation);
    }
    return sent;
  };
}

