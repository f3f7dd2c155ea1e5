import { addEncodings, compressedBodies } from './entry.js';
import type { Entry } from './types.js';

/**
 * Entries by key, least recently used first (a Map keeps insertion order; a hit moves its entry to the end),
 * bounded by the bytes their bodies take, with an index from each tag to the keys that carry it.
 */
export function createStore(maxBytes: number) {
  const entries = new Map<string, Entry>();
  const byTag = new Map<string, Set<string>>();
  let bytes = 0;
  /** Counts invalidations, so a render that began before one is never stored. */
  let generation = 0;
  /** Wall-clock time of the last invalidation (see the If-Modified-Since rule in respond.ts). */
  let lastDropAt = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) byTag.delete(tag);
    }
  };

  const evict = () => {
    for (const oldest of entries.keys()) {
      if (bytes <= maxBytes) break;
      remove(oldest);
    }
  };

  const dropped = () => {
    generation += 1;
    lastDropAt = Date.now();
  };

  return {
    get generation() {
      return generation;
    },
    get lastDropAt() {
      return lastDropAt;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },

    get(key: string, nowMs: number): Entry | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (nowMs >= entry.expiresAt) {
        remove(key);
        return undefined;
      }
      entries.delete(key);
      entries.set(key, entry);
      return entry;
    },

    /**
     * Keeps an entry unless an invalidation happened since its render began, or it alone would crowd out many
     * others; its compressed bodies are added when zlib is done, if the entry is still kept by then.
     */
    put(entry: Entry, renderedInGeneration: number) {
      if (renderedInGeneration !== generation || entry.bytes > maxBytes / 16) return;
      compressedBodies(entry).then(
        (bodies) => {
          if (entries.get(entry.key) !== entry) return;
          const added = addEncodings(entry, bodies);
          entry.bytes += added;
          bytes += added;
          evict();
        },
        // Left uncompressed: readers get the identity body.
        () => {},
      );
      remove(entry.key);
      entries.set(entry.key, entry);
      bytes += entry.bytes;
      for (const tag of entry.tags) {
        let keys = byTag.get(tag);
        if (!keys) byTag.set(tag, (keys = new Set()));
        keys.add(entry.key);
      }
      evict();
    },

    dropTags(tags: string[]) {
      for (const tag of tags) for (const key of [...(byTag.get(tag) ?? [])]) remove(key);
      dropped();
    },

    dropAll() {
      entries.clear();
      byTag.clear();
      bytes = 0;
      dropped();
    },
  };
}

export type Store = ReturnType<typeof createStore>;
