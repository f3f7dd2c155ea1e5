import type { IncomingMessage, ServerResponse } from 'node:http';
import { etagMatches, pickEncoding } from './negotiate.js';
import type { Encoding, Entry } from './types.js';

/** Every encoding a kept page can be sent in: those not made yet are made when a reader first asks. */
const ANY_ENCODING = { br: true, gzip: true };

/**
 * If-Modified-Since alone (no If-None-Match) is trusted only when no invalidation happened in the second the
 * entry was rendered: HTTP dates count whole seconds, so a page changed and rendered again within one second
 * would carry the same Last-Modified as the copy the client holds.
 */
function notModified(req: IncomingMessage, entry: Entry, lastDropAt: number): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, entry.etag);
  const ifModifiedSince = req.headers['if-modified-since'];
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  const modified = Date.parse(entry.lastModified);
  return since >= modified && Math.floor(lastDropAt / 1000) * 1000 < modified;
}

/** Writes a kept page: 304 when the client's copy is current, else the body in the best encoding it accepts. Returns the status. */
export function respond(
  req: IncomingMessage,
  res: ServerResponse,
  entry: Entry,
  { lastDropAt, bodyIn }: { lastDropAt: number; bodyIn: (entry: Entry, encoding: Encoding) => Buffer },
): number {
  if (notModified(req, entry, lastDropAt)) {
    res.writeHead(304, entry.notModified);
    res.end();
    return 304;
  }
  const encoding = pickEncoding(req.headers['accept-encoding'], ANY_ENCODING);
  const body = bodyIn(entry, encoding);
  res.writeHead(200, entry.heads[encoding]);
  res.end(req.method === 'HEAD' ? undefined : body);
  return 200;
}
