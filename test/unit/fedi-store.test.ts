import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Temporal } from '@js-temporal/polyfill';
import { openDatabase, type Db } from '../../src/db/open.js';
import { migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { createFediKvRepository } from '../../src/repositories/fedi-kv.js';
import { createFediQueueRepository } from '../../src/repositories/fedi-queue.js';
import { createSqliteKvStore } from '../../src/fediverse/kv-store.js';
import { createSqliteMessageQueue } from '../../src/fediverse/message-queue.js';

const opened: { db: Db; dir: string }[] = [];
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A migrated database in a real file; `reopen` opens the same file again, as a restarted process would. */
function database() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fedi-store-'));
  const file = path.join(dir, 'blog.db');
  const open = () => {
    const db = openDatabase(file);
    opened.push({ db, dir });
    return db;
  };
  const db = open();
  migrate(db, migrationsDir);
  return { db, reopen: open };
}

describe("Fedify's key-value store on SQLite", () => {
  it('gets what was set, deletes, lists by prefix and swaps only when the value is the expected one', async () => {
    const kv = createSqliteKvStore(createFediKvRepository(database().db));
    await kv.set(['_fedify', 'key', 'a'], { n: 1 });
    await kv.set(['_fedify', 'key', 'b'], 'two');
    await kv.set(['_fedify', 'keys'], 3);
    expect(await kv.get(['_fedify', 'key', 'a'])).toEqual({ n: 1 });
    const listed = [];
    for await (const entry of kv.list(['_fedify', 'key'])) listed.push(entry);
    expect(listed).toEqual([{ key: ['_fedify', 'key', 'a'], value: { n: 1 } }, { key: ['_fedify', 'key', 'b'], value: 'two' }]);
    expect(await kv.cas(['_fedify', 'key', 'a'], { n: 2 }, { n: 3 })).toBe(false);
    expect(await kv.cas(['_fedify', 'key', 'a'], { n: 1 }, { n: 3 })).toBe(true);
    expect(await kv.get(['_fedify', 'key', 'a'])).toEqual({ n: 3 });
    expect(await kv.cas(['_fedify', 'absent'], undefined, 'new')).toBe(true);
    await kv.delete(['_fedify', 'key', 'b']);
    expect(await kv.get(['_fedify', 'key', 'b'])).toBeUndefined();
  });

  it('forgets a value once its ttl has passed, and drops expired rows from the table', async () => {
    const { db } = database();
    let clock = 1_000_000;
    const kv = createSqliteKvStore(createFediKvRepository(db), () => clock);
    await kv.set(['cache', 'doc'], 'fresh', { ttl: Temporal.Duration.from({ seconds: 30 }) });
    await kv.set(['kept'], 'forever');
    clock += 29_000;
    expect(await kv.get(['cache', 'doc'])).toBe('fresh');
    clock += 2_000;
    expect(await kv.get(['cache', 'doc'])).toBeUndefined();
    clock += 60_000;
    await kv.set(['other'], 1);
    expect(db.prepare('SELECT key FROM fedi_kv ORDER BY key').pluck().all()).toEqual(['["kept"]', '["other"]']);
  });
});

describe("Fedify's message queue on SQLite", () => {
  it('hands each message to the listener once, a delayed one not before its time, and wakes at once on an enqueue', async () => {
    const { db } = database();
    const queue = createSqliteMessageQueue(createFediQueueRepository(db), { pollMs: 60_000 });
    const got: { message: unknown; at: number }[] = [];
    const stop = new AbortController();
    const listening = queue.listen((message) => void got.push({ message, at: Date.now() }), { signal: stop.signal });
    const sent = Date.now();
    await queue.enqueue({ n: 1 });
    await queue.enqueue({ n: 2 }, { delay: Temporal.Duration.from({ milliseconds: 300 }) });
    await expect.poll(() => got.length, { timeout: 2000 }).toBe(1);
    expect(got[0].message).toEqual({ n: 1 });
    expect(got[0].at - sent).toBeLessThan(200);
    await expect.poll(() => got.length, { timeout: 2000 }).toBe(2);
    expect(got[1].at - sent).toBeGreaterThanOrEqual(300);
    expect(db.prepare('SELECT count(*) FROM fedi_queue').pluck().get()).toBe(0);
    stop.abort();
    await listening;
  });

  it('keeps messages across a restart, and hands again one a crashed process had taken', async () => {
    const { db, reopen } = database();
    const repo = createFediQueueRepository(db);
    await createSqliteMessageQueue(repo).enqueueMany!([{ n: 1 }, { n: 2 }]);
    // A process took the first and died before finishing it.
    expect(repo.claim(Date.now())).toMatchObject({ message: '{"n":1}' });

    const again = createSqliteMessageQueue(createFediQueueRepository(reopen()), { pollMs: 50 });
    const got: unknown[] = [];
    const listening = again.listen((message) => void got.push(message));
    await expect.poll(() => got.length, { timeout: 2000 }).toBe(2);
    expect(got).toEqual([{ n: 1 }, { n: 2 }]);
    await again.stop();
    await listening;
  });

  it('a handler that throws does not stop the listener', async () => {
    const queue = createSqliteMessageQueue(createFediQueueRepository(database().db), { pollMs: 50 });
    const got: unknown[] = [];
    const listening = queue.listen((message) => {
      if ((message as { n: number }).n === 1) throw new Error('boom');
      got.push(message);
    });
    await queue.enqueue({ n: 1 });
    await queue.enqueue({ n: 2 });
    await expect.poll(() => got, { timeout: 2000 }).toEqual([{ n: 2 }]);
    await queue.stop();
    await listening;
  });

  it('goes on with other messages while one is held by a handler that hangs, and keeps the held one until it is done', async () => {
    const { db } = database();
    const queue = createSqliteMessageQueue(createFediQueueRepository(db), { pollMs: 50 });
    let release!: () => void;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const got: unknown[] = [];
    const listening = queue.listen(async (message) => {
      if ((message as { n: number }).n === 1) await hanging;
      got.push(message);
    });
    await queue.enqueueMany!([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expect.poll(() => got, { timeout: 2000 }).toEqual([{ n: 2 }, { n: 3 }]);
    expect(db.prepare('SELECT message FROM fedi_queue').pluck().all()).toEqual(['{"n":1}']);
    release();
    await expect.poll(() => got.length, { timeout: 2000 }).toBe(3);
    await queue.stop();
    await listening;
  });

  it('moves on from a message whose handler never finishes, which stays claimed, not handed out again', async () => {
    const { db } = database();
    const queue = createSqliteMessageQueue(createFediQueueRepository(db), { pollMs: 50, workers: 1, handlerWaitMs: 100 });
    const got: unknown[] = [];
    const listening = queue.listen(async (message) => {
      if ((message as { n: number }).n === 1) await new Promise(() => {});
      got.push(message);
    });
    await queue.enqueueMany!([{ n: 1 }, { n: 2 }]);
    await expect.poll(() => got, { timeout: 2000 }).toEqual([{ n: 2 }]);
    expect(db.prepare('SELECT message FROM fedi_queue WHERE taken_at IS NOT NULL').pluck().all()).toEqual(['{"n":1}']);
    await queue.stop();
    await listening;
  });
});
