import type { IncomingMessage } from 'node:http';
import type { Express, RequestHandler } from 'express';
import pino, { type Logger } from 'pino';
import proxyAddr from 'proxy-addr';
import { HEALTH_PATH } from '../routes/health.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** The app's logger, for what a handler has to say about a request (src/http/access-log.ts). */
    log: Logger;
  }
}

/** Query parameters that carry secrets: login codes, OAuth tokens and verifiers, form and setup tokens. */
const SECRET_PARAMS = ['code', 'state', 'oauth_token', 'oauth_verifier', '_csrf', 'token', 'key', 'password'];

/** A draft's private preview address is its own secret. */
const PREVIEW_KEY = /^\/p\/[^/?]+/;

/** The request's path and query with every secret value replaced, as it may be written to a log. */
export function loggableUrl(rawUrl: string): string {
  const url = rawUrl.replace(PREVIEW_KEY, '/p/[Redacted]');
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  for (const name of new Set(params.keys())) if (SECRET_PARAMS.includes(name.toLowerCase())) params.set(name, '[Redacted]');
  return `${url.slice(0, query)}?${params.toString()}`;
}

type Trust = (address: string, hop: number) => boolean;
/** What a line says after `res`: the response time, or that the cache answered. */
type LineTail = { responseTime: number } | { cache: 'hit' };

/**
 * Access-log lines as pino writes them (its level, time and bindings, the same keys in the same order), written as
 * text straight to the logger's destination. Only a few chosen fields are written, so cookies, the Authorization
 * header and form bodies never reach the log. pino-http, which this replaces, built two child loggers and
 * serialised the request as an object for every request: about 30 µs, a sixth of a comment's POST.
 */
function accessLines(logger: Logger, trust: Trust) {
  // Without X-Forwarded-For the client is the peer, whatever the proxy setting (as Express's req.ip says too).
  const clientOf = (req: IncomingMessage) => (req.headers['x-forwarded-for'] === undefined ? req.socket.remoteAddress : proxyAddr(req, trust));
  const internals = logger as unknown as Record<symbol, unknown>;
  const destination = internals[pino.symbols.streamSym] as { write(line: string): unknown };
  const time = internals[pino.symbols.timeSym] as () => string;
  const bindings = internals[pino.symbols.chindingsSym] as string;
  // As pino does, a field without a value is left out.
  const field = (name: string, value: string | undefined) => (value === undefined ? '' : `,"${name}":${JSON.stringify(value)}`);
  return (req: IncomingMessage, url: string, statusCode: number, tail: LineTail, msg = 'request completed') => {
    const level = statusCode >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const client = `"method":${JSON.stringify(req.method)}${field('url', loggableUrl(url))}${field('ip', clientOf(req))}${field('userAgent', req.headers['user-agent'])}`;
    const after = 'cache' in tail ? `"cache":"${tail.cache}"` : `"responseTime":${tail.responseTime}`;
    destination.write(`{"level":${logger.levels.values[level]}${time()}${bindings},"req":{${client}},"res":{"statusCode":${statusCode}},${after},"msg":"${msg}"}\n`);
  };
}

/**
 * One access-log line per request, written when its response has gone out (or the client went away first); 5xx
 * at error. Health checks are not logged: monitors call them every few seconds. `req.log` is the app's logger, on
 * the request prototype Express gives this app's requests, so it costs a request nothing.
 */
export function accessLog(app: Express, logger: Logger, trust: Trust): RequestHandler {
  Object.defineProperty(app.request, 'log', { value: logger });
  const line = accessLines(logger, trust);
  return (req, res, next) => {
    // Before any router rewrites it for the routes mounted under a path.
    const url = req.url;
    if (url === HEALTH_PATH || url.startsWith(`${HEALTH_PATH}?`)) return next();
    const began = Date.now();
    const done = () => {
      res.off('finish', done).off('close', done);
      line(req, url, res.statusCode, { responseTime: Date.now() - began }, res.writableFinished ? 'request completed' : 'request aborted');
    };
    res.on('finish', done).on('close', done);
    next();
  };
}

/** The access-log line of a page answered from the page cache, before Express ran: the cache marked, as a hit has no work to time. */
export function cacheHitLog(logger: Logger, trust: Trust) {
  const line = accessLines(logger, trust);
  return (req: IncomingMessage, statusCode: number) => line(req, req.url ?? '', statusCode, { cache: 'hit' });
}
