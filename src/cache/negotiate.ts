import type { Encoding } from './types.js';

/**
 * The best encoding the client accepts and the entry has: br, then gzip, then none. Accept-Encoding is split on commas and each
 * item read once (linear in its length); `q=0` refuses a coding, `*` stands for any not named.
 */
export function pickEncoding(acceptEncoding: string | undefined, available: Partial<Record<Encoding, unknown>>): Encoding {
  if (!acceptEncoding) return 'identity';
  const q = weightsOf(acceptEncoding);
  const accepts = (coding: Encoding) => available[coding] !== undefined && (q.get(coding) ?? q.get('*') ?? 0) > 0;
  return accepts('br') ? 'br' : accepts('gzip') ? 'gzip' : 'identity';
}

/** Browsers send one of a handful of short Accept-Encoding values: each is read once, and at most this many kept. */
const KEPT_WEIGHTS = 64;
const KEPT_LENGTH = 200;
const weightsByHeader = new Map<string, Map<string, number>>();

function weightsOf(acceptEncoding: string): Map<string, number> {
  const kept = weightsByHeader.get(acceptEncoding);
  if (kept) return kept;
  const q = new Map<string, number>();
  for (const item of acceptEncoding.split(',')) {
    const [name, ...params] = item.split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = weight === undefined ? 1 : Number(weight.slice(2));
    q.set(name.trim().toLowerCase(), Number.isFinite(value) ? value : 0);
  }
  if (weightsByHeader.size < KEPT_WEIGHTS && acceptEncoding.length <= KEPT_LENGTH) weightsByHeader.set(acceptEncoding, q);
  return q;
}

/** Whether If-None-Match names this ETag (`*` does); weak comparison, as HTTP asks for GET and HEAD. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return (t.startsWith('W/') ? t.slice(2) : t) === etag;
  });
}
