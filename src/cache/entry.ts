import crypto from 'node:crypto';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Encoding, Entry, StoredHeaders } from './types.js';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/** A strong validator: a hash of the body. Express uses it for every answer too, so both paths agree. */
export const strongEtag = (body: Buffer | string) =>
  `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** A kept page differs by encoding, and a visitor with cookies may get another page (shared caches must know both). */
export const VARY = 'Accept-Encoding, Cookie';

/** Headers that belong to one sending of the page, not to the page: the front writes its own. */
const PER_RESPONSE = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date', 'etag', 'last-modified', 'vary']);

export const storableHeaders = (headers: Record<string, unknown>): StoredHeaders =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([name, value]) => !PER_RESPONSE.has(name) && (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)))
      .map(([name, value]) => [name, Array.isArray(value) ? value.map(String) : String(value)]),
  );

export interface EntryParts {
  key: string;
  headers: StoredHeaders;
  lastModified: string;
  body: Buffer;
  tags: string[];
  expiresAt: number;
}

const headFor = (entry: Pick<Entry, 'headers' | 'etag' | 'lastModified'>, encoding: Encoding, body: Buffer) => ({
  ...entry.headers,
  ETag: entry.etag,
  'Last-Modified': entry.lastModified,
  Vary: VARY,
  'Content-Length': body.length,
  ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
});

/** An entry with its identity body, ready to serve as soon as the page is rendered. */
export function makeEntry({ key, headers, lastModified, body, tags, expiresAt }: EntryParts): Entry {
  const etag = strongEtag(body);
  const { 'content-type': _type, ...withoutType } = headers;
  return {
    key,
    headers,
    etag,
    lastModified,
    bodies: { identity: body },
    heads: { identity: headFor({ headers, etag, lastModified }, 'identity', body) },
    notModified: { ...withoutType, ETag: etag, 'Last-Modified': lastModified, Vary: VARY },
    tags,
    expiresAt,
    bytes: body.length + JSON.stringify(headers).length + key.length,
    readSinceKept: false,
  };
}

type Compressed = Exclude<Encoding, 'identity'>;

const brotliParams = (quality: number, body: Buffer) => ({
  params: {
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    [zlib.constants.BROTLI_PARAM_QUALITY]: quality,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
  },
});

/**
 * An entry's page in one encoding, made in the request's own turn the first time a reader asks for it: br quality
 * 5 takes about 0.4 ms for the 30 kB post page, gzip level 6 about 0.2 ms. Made at once rather than on libuv's thread
 * pool, a page renewed every few seconds (a post page, see formTokenWindowEnd) costs one short pause, where zlib's
 * threads shared the server's one core for several milliseconds and readers got the uncompressed page meanwhile.
 */
export const compressNow = (body: Buffer, encoding: Compressed): Buffer =>
  encoding === 'br' ? zlib.brotliCompressSync(body, brotliParams(5, body)) : zlib.gzipSync(body, { level: zlib.constants.Z_DEFAULT_COMPRESSION });

/**
 * A page kept until a change is also compressed at the strongest settings, once, off the event loop: br at its
 * best takes tens of milliseconds (45 ms for a 30 kB post page), paid once per change for about a tenth fewer bytes
 * to every reader until the next. A page that expires within seconds is not worth it.
 */
export async function strongestBodies(entry: Entry): Promise<Record<Compressed, Buffer> | undefined> {
  if (Number.isFinite(entry.expiresAt)) return undefined;
  const body = entry.bodies.identity;
  const [gz, br] = await Promise.all([
    gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
    brotli(body, brotliParams(zlib.constants.BROTLI_MAX_QUALITY, body)),
  ]);
  return { gzip: gz, br };
}

/** Sets an entry's body in an encoding (a first one, or a stronger one in place of it); returns the bytes it adds. */
export function setEncoding(entry: Entry, encoding: Compressed, body: Buffer): number {
  const before = entry.bodies[encoding]?.length ?? 0;
  entry.bodies[encoding] = body;
  entry.heads[encoding] = headFor(entry, encoding, body);
  return body.length - before;
}
