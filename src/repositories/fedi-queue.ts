import type { Db } from '../db/open.js';

export interface FediQueueRow {
  id: number;
  message: string;
}

/** Fedify's message queue: one row per message, due at run_at (Unix ms), marked taken while a worker handles it. */
export function createFediQueueRepository(db: Db) {
  const insert = db.prepare('INSERT INTO fedi_queue (message, run_at) VALUES (?, ?)');
  // One statement, so claiming is atomic: two listeners never take the same row.
  const claim = db.prepare<[number, number], FediQueueRow>(
    'UPDATE fedi_queue SET taken_at = ? WHERE id = (SELECT id FROM fedi_queue WHERE taken_at IS NULL AND run_at <= ? ORDER BY run_at, id LIMIT 1) RETURNING id, message',
  );
  const remove = db.prepare('DELETE FROM fedi_queue WHERE id = ?');
  const release = db.prepare('UPDATE fedi_queue SET taken_at = NULL WHERE taken_at IS NOT NULL');
  const count = db.prepare('SELECT count(*) FROM fedi_queue').pluck();
  const nextDue = db.prepare('SELECT min(run_at) FROM fedi_queue WHERE taken_at IS NULL').pluck();
  return {
    add: (messages: string[], runAt: number) => db.transaction(() => messages.forEach((m) => insert.run(m, runAt)))(),
    claim: (now: number) => claim.get(now, now),
    done: (id: number) => void remove.run(id),
    /** At start-up: a message a crashed process was handling is handled again. */
    releaseTaken: () => release.run().changes,
    count: () => count.get() as number,
    nextDue: () => nextDue.get() as number | null,
  };
}

export type FediQueueRepository = ReturnType<typeof createFediQueueRepository>;
