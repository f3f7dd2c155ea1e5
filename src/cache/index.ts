import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Post, PostLink } from '../models.js';
import type { SiteChanges } from '../services/site-changes.js';
import { cacheKeyOf } from './keys.js';
import { recordMiss } from './record.js';
import { respond } from './respond.js';
import { createStore } from './store.js';
import { ALL_COMMENTS, authorTag, commentsTag, LISTS, ownPageTag, postTag } from './tags.js';
import type { Miss } from './types.js';

/** A few tens of MB: the small blog's pages fit many times over, and the large blog's server stays under 150 MB. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

export interface PageCacheDeps {
  enabled: boolean;
  /** The clock the services read: a page's comment-form token, and so the page, ages by it. */
  now: () => Date;
  /** Where a post sits among the published ones, to find the pages whose previous/next links it changes. */
  posts: {
    findById(id: number): Post | undefined;
    neighbours(post: Post): { previous?: PostLink; next?: PostLink };
  };
  maxBytes?: number;
}

/** A request handler of the http server (Express's app.handle takes a third argument, passed on). */
type Handler = (req: IncomingMessage, res: ServerResponse, ...rest: never[]) => unknown;

export interface FrontOptions {
  /** Whether the request carries a cookie its page is personalized by; such requests take the normal path. */
  isPersonal: (cookieHeader: string | undefined) => boolean;
  /** Requests that are not for a page (ActivityPub's: the same URL answers JSON to them), which take the normal path. */
  bypass?: (req: IncomingMessage) => boolean;
  /** Work the normal path does first that may change pages: scheduled posts going live. */
  beforeLookup: () => void;
  /** Told of each request answered from the cache (the access log), with the status sent. */
  onHit?: (req: IncomingMessage, status: number) => void;
}

/**
 * The anonymous page cache: a front that answers kept pages before the app runs, a recorder inside the app
 * that keeps what a miss rendered, and the changes services report, turned into the entries they make stale.
 */
export function createPageCache({ enabled, now, posts, maxBytes = DEFAULT_MAX_BYTES }: PageCacheDeps) {
  const store = createStore(maxBytes);
  const misses = new WeakMap<IncomingMessage, Miss>();

  /**
   * Every page showing the post, and the pages of the posts beside it now, whose previous/next links may have
   * named another post until now (those that named this one carry its tag already).
   */
  const aroundPost = (id: number) => {
    const post = posts.findById(id);
    const { previous, next } = post?.status === 'published' ? posts.neighbours(post) : {};
    return [postTag(id), ...[previous?.id, next?.id].filter((n): n is number => n !== undefined).map(ownPageTag)];
  };

  const changes: SiteChanges = {
    post: (id) => store.dropTags([...aroundPost(id), LISTS]),
    comments: (postId) => store.dropTags([commentsTag(postId), ALL_COMMENTS]),
    user: (id) => store.dropTags([authorTag(id), LISTS]),
    everything: () => store.dropAll(),
  };

  return {
    changes,

    /** Wraps the app's request handler: a kept page is written at once, anything else goes to the app. */
    front<H extends Handler>(app: H, { isPersonal, bypass, beforeLookup, onHit }: FrontOptions): H {
      if (!enabled) return app;
      const handler: Handler = (req, res, ...rest) => {
        const key = isPersonal(req.headers.cookie) || bypass?.(req) ? null : cacheKeyOf(req.method, req.url);
        if (key === null) return app(req, res, ...rest);
        try {
          beforeLookup();
        } catch {
          // The database is not answering: the app's own path says so (503, an error page) rather than the server failing.
          return app(req, res, ...rest);
        }
        const entry = store.get(key, now().getTime());
        if (entry) {
          const status = respond(req, res, entry, store);
          onHit?.(req, status);
          return;
        }
        if (req.method === 'GET') misses.set(req, { key, generation: store.generation });
        return app(req, res, ...rest);
      };
      return handler as H;
    },

    /** Middleware for the app, after compression: keeps the answer to a miss the front let through. */
    record(req: IncomingMessage, res: ServerResponse, next: () => void) {
      const miss = misses.get(req);
      if (miss) recordMiss(store, miss, res);
      next();
    },
  };
}

export type PageCache = ReturnType<typeof createPageCache>;
