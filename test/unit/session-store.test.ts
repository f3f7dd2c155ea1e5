import Database from 'better-sqlite3';
import type { SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { expiredRowsPruner, startHousekeeping } from '../../src/db/housekeeping.js';
import { migrate } from '../../src/db/migrate.js';
import { SqliteSessionStore } from '../../src/db/session-store.js';
import { migrationsDir } from '../../src/paths.js';

function setup() {
  const db = new Database(':memory:');
  migrate(db, migrationsDir);
  let now = Date.parse('2026-06-01T00:00:00Z');
  const store = new SqliteSessionStore(db, () => now);
  return { db, store, advance: (ms: number) => (now += ms), at: () => now };
}

const get = (store: SqliteSessionStore, sid: string) =>
  new Promise<SessionData | null | undefined>((resolve, reject) => store.get(sid, (err, s) => (err ? reject(err) : resolve(s))));

const sessionFor = (expires: number, extra: Record<string, unknown> = {}) =>
  ({ cookie: { expires: new Date(expires), originalMaxAge: null }, ...extra }) as unknown as SessionData;

describe('SqliteSessionStore', () => {
  it('keeps a session in SQLite, so a new store on the same database still finds it', async () => {
    const { db, store, at } = setup();
    store.set('abc', sessionFor(at() + 60_000, { commenter: 7 }));
    const again = new SqliteSessionStore(db, at);
    expect(await get(again, 'abc')).toMatchObject({ commenter: 7 });
  });

  it('forgets a session once it expires; writes do no pruning, the housekeeping pass does', async () => {
    const { db, store, at, advance } = setup();
    store.set('old', sessionFor(at() + 1000));
    advance(2000);
    expect(await get(store, 'old')).toBeNull();
    store.set('new', sessionFor(at() + 1000));
    expect(db.prepare('SELECT sid FROM sessions ORDER BY sid').pluck().all()).toEqual(['new', 'old']);
    expect(expiredRowsPruner(db)(at())).toEqual({ sessions: 1, rateLimits: 0 });
    expect(db.prepare('SELECT sid FROM sessions').pluck().all()).toEqual(['new']);
  });

  it('logs a failed pass and goes on, rather than bringing the server down', async () => {
    const { db } = setup();
    const warnings: unknown[] = [];
    const stop = startHousekeeping(db, { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as pino.Logger, 20);
    db.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();
    expect(warnings.length).toBeGreaterThan(0);
  });

  it('prunes on a timer that does not keep the process alive', async () => {
    const { db, store } = setup();
    store.set('gone', sessionFor(Date.now() - 1000));
    const stop = startHousekeeping(db, pino({ level: 'silent' }), 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(0);
  });

  it('destroys a session on logout', async () => {
    const { store, at } = setup();
    store.set('abc', sessionFor(at() + 60_000));
    store.destroy('abc');
    expect(await get(store, 'abc')).toBeNull();
  });
});
