import type { OutgoingHttpHeaders } from 'node:http';

/** The encodings an entry keeps its body in, made once when it is stored. */
export type Encoding = 'br' | 'gzip' | 'identity';

export type StoredHeaders = Record<string, string | string[]>;

/** One kept answer to an anonymous GET: its headers and its body in every encoding. */
export interface Entry {
  key: string;
  /** Response headers as rendered, without the ones that depend on the encoding or the moment. */
  headers: StoredHeaders;
  /** Strong: a hash of the identity body, the same one the normal path sends. */
  etag: string;
  /** The HTTP date the page was rendered at (whole seconds). */
  lastModified: string;
  /** The compressed bodies join the identity body once zlib has made them (see entry.ts). */
  bodies: { identity: Buffer } & Partial<Record<Encoding, Buffer>>;
  /** The headers written with each body, made once per entry and encoding. */
  heads: { identity: OutgoingHttpHeaders } & Partial<Record<Encoding, OutgoingHttpHeaders>>;
  /** The headers of a 304 answer. */
  notModified: OutgoingHttpHeaders;
  /** What the page shows (see tags.ts); an invalidation drops every entry carrying one of its tags. */
  tags: string[];
  /** When the page stops being true by itself (its comment form's token window ends); Infinity if never. */
  expiresAt: number;
  bytes: number;
  /** Read since it was kept or last spared by an eviction (see store.ts). */
  readSinceKept: boolean;
}

/** What the front notes about a request it let through, for the recorder to store the answer under. */
export interface Miss {
  key: string;
  /** The store's generation when the request arrived: an invalidation since means the render may be stale. */
  generation: number;
}
