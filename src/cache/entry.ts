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
  };
}

/**
 * How hard to compress an entry's page. One that lives until a change is compressed at the strongest settings
 * once: br at its best takes tens of milliseconds (45 ms for a 30 kB post page), paid once per change. One that
 * expires within seconds (a page whose comment form carries a token, see formTokenWindowEnd) is made again every
 * few seconds, and zlib's thread shares the server's CPU: at quick settings (under 1 ms) the readers waiting
 * meanwhile are not held up, for a br body about a tenth larger.
 */
const settingsFor = (entry: Entry) =>
  Number.isFinite(entry.expiresAt)
    ? { gzipLevel: zlib.constants.Z_DEFAULT_COMPRESSION, brQuality: 5 }
    : { gzipLevel: zlib.constants.Z_BEST_COMPRESSION, brQuality: zlib.constants.BROTLI_MAX_QUALITY };

/**
 * The entry's page in gzip and br, once: the work is paid per entry, not per reader. zlib runs on libuv's thread
 * pool, so the event loop keeps answering meanwhile, the identity body among the rest.
 */
export async function compressedBodies(entry: Entry): Promise<Record<'gzip' | 'br', Buffer>> {
  const body = entry.bodies.identity;
  const { gzipLevel, brQuality } = settingsFor(entry);
  const [gz, br] = await Promise.all([
    gzip(body, { level: gzipLevel }),
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: brQuality,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  ]);
  return { gzip: gz, br };
}

/** Adds compressed bodies and their headers to an entry; returns the bytes added. */
export function addEncodings(entry: Entry, bodies: Record<'gzip' | 'br', Buffer>): number {
  for (const encoding of ['gzip', 'br'] as const) {
    entry.bodies[encoding] = bodies[encoding];
    entry.heads[encoding] = headFor(entry, encoding, bodies[encoding]);
  }
  return bodies.gzip.length + bodies.br.length;
}
