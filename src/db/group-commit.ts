import type { Db } from './open.js';

/** Runs a write with the others of this turn and settles once they are committed. */
export type WriteTogether = <T>(work: () => T) => Promise<T>;

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/**
 * Writes asked for in one turn of the event loop (a burst of comments) run at the end of the turn in one
 * transaction. Each commit writes every page it changed to the WAL; comments arriving together change the same
 * few table and index pages, which one commit writes once. Each write runs in its own savepoint, so one that
 * throws takes back only its own changes; a write's promise settles after the commit, so nothing is answered
 * before it is stored.
 */
export function createGroupCommit(db: Db): WriteTogether {
  let queued: Queued[] = [];
  // Made once: better-sqlite3 builds a wrapper per transaction() call. Nested in `all`, `one` is a savepoint.
  const one = db.transaction((work: () => unknown) => work());
  const all = db.transaction((batch: Queued[]) =>
    batch.map(({ work }): { value: unknown } | { error: unknown } => {
      try {
        return { value: one(work) };
      } catch (error) {
        return { error };
      }
    }));

  const flush = () => {
    const batch = queued;
    queued = [];
    let outcomes: ReturnType<typeof all>;
    try {
      outcomes = all.immediate(batch);
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    });
  };

  return <T>(work: () => T) =>
    new Promise<T>((resolve, reject) => {
      // After the poll phase: every request read in this turn has queued its write by then.
      if (queued.length === 0) setImmediate(flush);
      queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
}
