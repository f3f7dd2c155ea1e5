import Database from 'better-sqlite3';
import type { SessionData } from 'express-session';
import { describe, expect, it } from 'vitest';
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

  it('forgets a session once it expires, and prunes it on the next write', async () => {
    const { db, store, at, advance } = setup();
    store.set('old', sessionFor(at() + 1000));
    advance(2000);
    expect(await get(store, 'old')).toBeNull();
    store.set('new', sessionFor(at() + 1000));
    expect(db.prepare('SELECT sid FROM sessions').pluck().all()).toEqual(['new']);
  });

  it('destroys a session on logout', async () => {
    const { store, at } = setup();
    store.set('abc', sessionFor(at() + 60_000));
    store.destroy('abc');
    expect(await get(store, 'abc')).toBeNull();
  });
});
