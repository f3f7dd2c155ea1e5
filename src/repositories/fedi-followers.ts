import type { Db } from '../db/open.js';

export interface Follower {
  id: number;
  actorUri: string;
  /** @user@host */
  handle: string;
  name: string;
  inbox: string;
  sharedInbox: string | null;
  followId: string;
  createdAt: number;
}

export type NewFollower = Omit<Follower, 'id' | 'createdAt'>;

const COLUMNS = 'id, actor_uri AS actorUri, handle, name, inbox, shared_inbox AS sharedInbox, follow_id AS followId, created_at AS createdAt';

export function createFediFollowersRepository(db: Db) {
  // A second Follow from the same account (Mastodon sends one after a lost Accept) updates the row.
  const upsert = db.prepare(`INSERT INTO fedi_followers (actor_uri, handle, name, inbox, shared_inbox, follow_id, created_at)
    VALUES (@actorUri, @handle, @name, @inbox, @sharedInbox, @followId, @createdAt)
    ON CONFLICT (actor_uri) DO UPDATE SET handle = excluded.handle, name = excluded.name, inbox = excluded.inbox,
      shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id`);
  const all = db.prepare<[], Follower>(`SELECT ${COLUMNS} FROM fedi_followers ORDER BY created_at DESC, id DESC`);
  const page = db.prepare<[number, number], Follower>(`SELECT ${COLUMNS} FROM fedi_followers ORDER BY id LIMIT ? OFFSET ?`);
  const byId = db.prepare<[number], Follower>(`SELECT ${COLUMNS} FROM fedi_followers WHERE id = ?`);
  const byActor = db.prepare<[string], Follower>(`SELECT ${COLUMNS} FROM fedi_followers WHERE actor_uri = ?`);
  const remove = db.prepare('DELETE FROM fedi_followers WHERE id = ?');
  const count = db.prepare('SELECT count(*) FROM fedi_followers').pluck();
  return {
    add: (follower: NewFollower, now: number) => void upsert.run({ ...follower, createdAt: now }),
    all: () => all.all(),
    /** In id order, for the followers collection's pages. */
    page: (limit: number, offset: number) => page.all(limit, offset),
    findById: (id: number) => byId.get(id),
    findByActor: (actorUri: string) => byActor.get(actorUri),
    remove: (id: number) => remove.run(id).changes > 0,
    count: () => count.get() as number,
  };
}

export type FediFollowersRepository = ReturnType<typeof createFediFollowersRepository>;
