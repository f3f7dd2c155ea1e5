import type { Db } from '../../src/db/open.js';

const RUNNERS = ['run', 'get', 'all', 'iterate'] as const;

/**
 * Counts the SQL statements the database really runs, by wrapping the run/get/all/iterate of better-sqlite3's
 * statement class (every prepared statement shares it); the statements still run against the real file.
 * Returns the SQL of each statement run, in order (whitespace folded), and a function that puts the class back as it was.
 */
export function countStatements(db: Db) {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<(typeof RUNNERS)[number], (...args: unknown[]) => unknown>;
  const originals = RUNNERS.map((name) => [name, proto[name]] as const);
  const ran: string[] = [];
  const calls: { sql: string; args: unknown[] }[] = [];
  for (const [name, original] of originals) {
    proto[name] = function (this: { source: string }, ...args: unknown[]) {
      ran.push(this.source.replace(/\s+/g, ' ').trim());
      calls.push({ sql: this.source, args });
      return original.apply(this, args);
    };
  }
  return {
    ran,
    /** Each statement run with the values it was given. */
    calls,
    restore: () => {
      for (const [name, original] of originals) proto[name] = original;
    },
  };
}
