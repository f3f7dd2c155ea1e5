import { compressNow, setEncoding, strongestBodies } from './entry.js';
import type { Encoding, Entry } from './types.js';

/**
 * Entries by key, bounded by the bytes their bodies take, with an index from each tag to the keys that carry it.
 * Eviction gives a second chance (CLOCK): a Map keeps insertion order, a hit only marks its entry, and an eviction
 * moves marked entries to the end instead of removing them. Moving the entry at every hit (delete, then set) made
 * V8 rebuild the long-lived Map's table each time, in the old generation: a few megabytes of garbage a second that
 * only a full collection frees, which is what let the server's memory climb under load.
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

  /** Makes room, sparing the entry just kept: a full sweep may unmark every other entry and reach it first. */
  const evict = (spared?: Entry) => {
    // An entry moved to the end is met again later in this loop, unmarked by then.
    for (const [key, oldest] of entries) {
      if (bytes <= maxBytes) break;
      if (oldest === spared) continue;
      if (oldest.readSinceKept) {
        oldest.readSinceKept = false;
        entries.delete(key);
        entries.set(key, oldest);
      } else {
        remove(key);
      }
    }
  };

  /** Counts bytes an entry gained, and makes room for them. */
  const grow = (entry: Entry, added: number) => {
    entry.bytes += added;
    bytes += added;
    evict();
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
      entry.readSinceKept = true;
      return entry;
    },

    /**
     * Keeps an entry unless an invalidation happened since its render began, or it alone would crowd out many
     * others. A page kept until a change gets its strongest compressed bodies when zlib is done with them, if the
     * entry is still kept by then.
     */
    put(entry: Entry, renderedInGeneration: number) {
      if (renderedInGeneration !== generation || entry.bytes > maxBytes / 16) return;
      strongestBodies(entry).then(
        (bodies) => {
          if (!bodies || entries.get(entry.key) !== entry) return;
          for (const encoding of ['gzip', 'br'] as const) grow(entry, setEncoding(entry, encoding, bodies[encoding]));
        },
        // The bodies made on demand stay.
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
      evict(entry);
    },

    /** The entry's body in an encoding, compressed now if no reader asked for that encoding before. */
    bodyIn(entry: Entry, encoding: Encoding): Buffer {
      if (encoding === 'identity') return entry.bodies.identity;
      const kept = entry.bodies[encoding];
      if (kept) return kept;
      const body = compressNow(entry.bodies.identity, encoding);
      const added = setEncoding(entry, encoding, body);
      if (entries.get(entry.key) === entry) grow(entry, added);
      return body;
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
