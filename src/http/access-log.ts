import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import proxyAddr from 'proxy-addr';
import { HEALTH_PATH } from '../routes/health.js';

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

/**
 * One access-log line per request through pino. Only a few chosen fields are written, so cookies, the
 * Authorization header and form bodies never reach the log; the client address is Express's `req.ip`, which
 * follows TRUST_PROXY. Health checks are not logged: monitors call them every few seconds.
 */
export function accessLog(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    autoLogging: { ignore: (req) => (req as Request).path === HEALTH_PATH || req.url === HEALTH_PATH },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    serializers: {
      req: (req: { raw: IncomingMessage; id: unknown; method: string }) => {
        const raw = req.raw as Request;
        return { id: req.id, method: req.method, url: loggableUrl(raw.originalUrl ?? raw.url ?? ''), ip: raw.ip, userAgent: raw.headers['user-agent'] };
      },
      res: (res: { raw: ServerResponse; statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  });
}

/**
 * The access-log line of a page answered from the page cache, before Express ran: the same fields as pino-http's,
 * the client address read with the app's proxy setting. It is written as text, in pino's order and with the
 * logger's own level, time and bindings, straight to the logger's destination: a hit costs a few tens of
 * microseconds, and building the line as an object for pino to serialise took about a sixth of that.
 */
export function cacheHitLog(logger: Logger, trust: (address: string, hop: number) => boolean) {
  // Without X-Forwarded-For the client is the peer, whatever the proxy setting.
  const clientOf = (req: IncomingMessage) => (req.headers['x-forwarded-for'] === undefined ? req.socket.remoteAddress : proxyAddr(req, trust));
  const internals = logger as unknown as Record<symbol, unknown>;
  const destination = internals[pino.symbols.streamSym] as { write(line: string): unknown };
  const time = internals[pino.symbols.timeSym] as () => string;
  const bindings = internals[pino.symbols.chindingsSym] as string;
  const level = `{"level":${logger.levels.values.info}`;
  // As pino does, a field without a value is left out.
  const field = (name: string, value: string | undefined) => (value === undefined ? '' : `,"${name}":${JSON.stringify(value)}`);
  return (req: IncomingMessage, statusCode: number) => {
    if (!logger.isLevelEnabled('info')) return;
    const client = `"method":${JSON.stringify(req.method)}${field('url', loggableUrl(req.url ?? ''))}${field('ip', clientOf(req))}${field('userAgent', req.headers['user-agent'])}`;
    destination.write(`${level}${time()}${bindings},"req":{${client}},"res":{"statusCode":${statusCode}},"cache":"hit","msg":"request completed"}\n`);
  };
}
