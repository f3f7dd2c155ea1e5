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
 * The entry's page in gzip and br, once, at the strongest settings: the work is paid per entry, not per reader.
 * zlib runs on libuv's thread pool (br at its best takes tens of milliseconds), so the event loop keeps
 * answering meanwhile, the identity body among the rest.
 */
export async function compressedBodies(entry: Entry): Promise<Record<'gzip' | 'br', Buffer>> {
  const body = entry.bodies.identity;
  const [gz, br] = await Promise.all([
    gzip(body, { level: zlib.constants.Z_BEST_COMPRESSION }),
    brotli(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
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
