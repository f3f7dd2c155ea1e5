import type { Db } from '../db/open.js';

/** A delivery the blog gave up on: the instance's inbox stayed unreachable or refused it for too long. */
export interface Undelivered {
  id: number;
  inbox: string;
  activityId: string;
  activityType: string;
  error: string;
  /** Unix milliseconds. */
  givenUpAt: number;
}

export type NewUndelivered = Omit<Undelivered, 'id'>;

const COLUMNS = 'id, inbox, activity_id AS activityId, activity_type AS activityType, error, given_up_at AS givenUpAt';

export function createFediUndeliveredRepository(db: Db) {
  const insert = db.prepare('INSERT INTO fedi_undelivered (inbox, activity_id, activity_type, error, given_up_at) VALUES (@inbox, @activityId, @activityType, @error, @givenUpAt)');
  const recent = db.prepare<[number, number], Undelivered>(`SELECT ${COLUMNS} FROM fedi_undelivered WHERE given_up_at >= ? ORDER BY given_up_at DESC, id DESC LIMIT ?`);
  const countSince = db.prepare<[number], number>('SELECT count(*) FROM fedi_undelivered WHERE given_up_at >= ?').pluck();
  return {
    record: (row: NewUndelivered) => void insert.run(row),
    /** The newest given up since a time, at most `limit`. */
    recent: (since: number, limit: number) => recent.all(since, limit),
    countSince: (since: number) => countSince.get(since) as number,
  };
}

export type FediUndeliveredRepository = ReturnType<typeof createFediUndeliveredRepository>;
