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

/**
 * Compresses the page once, at the strongest settings: the work is paid per entry, not per reader. zlib runs on
 * libuv's thread pool, so the event loop keeps answering meanwhile.
 */
export async function buildEntry({ key, headers, lastModified, body, tags, expiresAt }: EntryParts): Promise<Entry> {
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
  const headerBytes = JSON.stringify(headers).length + key.length;
  const etag = strongEtag(body);
  const bodies: Record<Encoding, Buffer> = { identity: body, gzip: gz, br };
  const validators = { ETag: etag, 'Last-Modified': lastModified, Vary: VARY };
  const head = (encoding: Encoding) => ({
    ...headers,
    ...validators,
    'Content-Length': bodies[encoding].length,
    ...(encoding === 'identity' ? {} : { 'Content-Encoding': encoding }),
  });
  const { 'content-type': _type, ...withoutType } = headers;
  return {
    key,
    headers,
    etag,
    lastModified,
    bodies,
    heads: { identity: head('identity'), gzip: head('gzip'), br: head('br') },
    notModified: { ...withoutType, ...validators },
    tags,
    expiresAt,
    bytes: body.length + gz.length + br.length + headerBytes,
  };
}
