import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeEntry } from '../../src/cache/entry.js';
import { createStore } from '../../src/cache/store.js';
import { collectGarbage, oldSpaceBytes } from '../support/old-space.js';

const PAGE_BYTES = 10_000;

/** A page of its own text, kept until a change. */
const entry = (key: string) => makeEntry({
  key,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  lastModified: new Date(0).toUTCString(),
  body: Buffer.from(`<p>${key}</p>`.padEnd(PAGE_BYTES, ' ')),
  tags: [],
  expiresAt: Number.POSITIVE_INFINITY,
});

describe('the page cache store', () => {
  it('when full, drops a page no reader asked for since it was kept, and spares the pages read since', () => {
    const key = (n: number) => `/p${String(n).padStart(2, '0')}/`;
    // Room for sixteen pages (an entry may take at most a sixteenth of the store).
    const store = createStore(16 * entry(key(0)).bytes);
    for (let n = 1; n <= 16; n++) store.put(entry(key(n)), store.generation);
    store.get(key(1), 0);
    store.get(key(3), 0);
    store.put(entry(key(17)), store.generation);
    expect(store.get(key(2), 0)).toBeUndefined();
    store.put(entry(key(18)), store.generation);
    expect(store.get(key(4), 0)).toBeUndefined();
    expect(store.size).toBe(16);
    for (const n of [1, 3, 17, 18]) expect(store.get(key(n), 0), key(n)).toBeDefined();
    // Every page read since: the one just kept is not the one to go.
    for (let n = 5; n <= 16; n++) store.get(key(n), 0);
    store.put(entry(key(19)), store.generation);
    expect(store.size).toBe(16);
    expect(store.get(key(19), 0)).toBeDefined();
  });

  it('compresses a page in an encoding the first time it is asked for, and counts its bytes', () => {
    const store = createStore(1024 * 1024);
    const page = entry('/a/');
    store.put(page, store.generation);
    const before = store.bytes;
    const br = store.bodyIn(page, 'br');
    expect(zlib.brotliDecompressSync(br).equals(page.bodies.identity)).toBe(true);
    expect(store.bodyIn(page, 'br')).toBe(br);
    expect(page.heads.br?.['Content-Length']).toBe(br.length);
    expect(store.bytes).toBe(before + br.length);
  });

  it('answers hits without leaving garbage in the old generation, which only a full collection would free', () => {
    const store = createStore(1024 * 1024);
    for (const key of ['/a/', '/b/', '/c/']) store.put(entry(key), store.generation);
    // The store's tables are long-lived, as in a server that has been up a while.
    collectGarbage();
    collectGarbage();
    const before = oldSpaceBytes();
    for (let i = 0; i < 100_000; i++) store.get(['/a/', '/b/', '/c/'][i % 3], 0);
    expect(oldSpaceBytes() - before).toBeLessThan(512 * 1024);
  });
});
