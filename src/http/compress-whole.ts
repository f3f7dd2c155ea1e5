import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import compressible from 'compressible';
import vary from 'vary';
import { pickEncoding } from '../cache/negotiate.js';

/** Below this a body is sent as it is, as the compression middleware does: the headers would cost more than it saves. */
const THRESHOLD_BYTES = 1024;
/** Above this (a few milliseconds of work at once) a body is left to the compression middleware's thread pool. */
const IN_TURN_MAX_BYTES = 256 * 1024;

/**
 * Quick settings: a response that ends here is made for one request (a page for a logged-in reader, a cache miss,
 * a 404), so its compression is paid every time. br quality 1 takes about 80 µs for the 30 kB post page against
 * 240 µs at the middleware's quality 4, for a body about a tenth larger; pages the cache keeps are compressed
 * again at strong settings, once (src/cache/entry.ts).
 */
const BROTLI_OPTIONS: zlib.BrotliOptions = {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT },
};
const GZIP_OPTIONS: zlib.ZlibOptions = { level: 1 };

const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** Whether a body the app ended in one piece is compressed here, before the client's Accept-Encoding is read. */
function compressibleResponse(req: IncomingMessage, res: ServerResponse, body: Buffer): boolean {
  if (req.method === 'HEAD' || res.statusCode === 204 || res.statusCode === 304) return false;
  if (body.length < THRESHOLD_BYTES || body.length > IN_TURN_MAX_BYTES) return false;
  if (res.getHeader('Content-Encoding') !== undefined) return false;
  const type = res.getHeader('Content-Type');
  if (typeof type !== 'string' || !compressible(type)) return false;
  const cacheControl = res.getHeader('Cache-Control');
  return !(typeof cacheControl === 'string' && NO_TRANSFORM.test(cacheControl));
}

/**
 * Compresses a response the app ends in one piece (a rendered page, `res.send`) at once, in the request's own
 * turn, and sends it with its Content-Length. The compression middleware streams every body through a zlib
 * stream on libuv's thread pool; for a page that is already whole that costs about three times the compression
 * itself, and with the server on one core it lets new renders overtake answers still being compressed, which
 * stretches the slowest answers. Streamed bodies (files, downloads) are left to that middleware, installed
 * before this one, which passes an already encoded body through.
 */
export function compressWholeBodies() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const end = res.end as (chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;
    res.end = function endCompressed(this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) {
      if (this.headersSent || chunk === undefined || chunk === null || typeof chunk === 'function') return end.call(this, chunk, encoding, callback);
      const body = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk;
      if (!Buffer.isBuffer(body) || !compressibleResponse(req, this, body)) return end.call(this, chunk, encoding, callback);
      vary(this, 'Accept-Encoding');
      const coding = pickEncoding(req.headers['accept-encoding'], { br: true, gzip: true });
      if (coding === 'identity') return end.call(this, chunk, encoding, callback);
      const compressed = coding === 'br' ? zlib.brotliCompressSync(body, BROTLI_OPTIONS) : zlib.gzipSync(body, GZIP_OPTIONS);
      this.setHeader('Content-Encoding', coding);
      this.setHeader('Content-Length', compressed.length);
      const done = typeof encoding === 'function' ? encoding : callback;
      return end.call(this, compressed, done);
    } as typeof res.end;
    next();
  };
}
