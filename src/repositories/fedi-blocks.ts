import type { Db } from '../db/open.js';

export type BlockKind = 'account' | 'domain';

/** The host and every domain above it (a.b.example → a.b.example, b.example, example): a blocked domain covers its subdomains. */
const withParents = (host: string): string[] => host.split('.').map((_, i, labels) => labels.slice(i).join('.'));

const hostOf = (uri: string): string => (URL.canParse(uri) ? new URL(uri).hostname.toLowerCase() : '');

/** Blocked accounts (an actor URI as given, or a lowercased `@user@host`) and instances (lowercased host). */
export function createFediBlocksRepository(db: Db) {
  const blocked = db.prepare(`SELECT 1 FROM fedi_blocks
    WHERE (kind = 'account' AND value IN (SELECT value FROM json_each(?))) OR (kind = 'domain' AND value IN (SELECT value FROM json_each(?)))
    LIMIT 1`).pluck();
  const add = db.prepare('INSERT OR IGNORE INTO fedi_blocks (kind, value, created_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM fedi_blocks WHERE kind = ? AND value = ?');
  const removeOthers = db.prepare('DELETE FROM fedi_blocks WHERE kind = ? AND value NOT IN (SELECT value FROM json_each(?))');
  const list = db.prepare<[BlockKind]>('SELECT value FROM fedi_blocks WHERE kind = ? ORDER BY value').pluck();
  const addAll = db.transaction((kind: BlockKind, values: string[], now: number) => {
    for (const value of values) add.run(kind, value, now);
  });
  const replace = db.transaction((kind: BlockKind, values: string[], now: number) => {
    removeOthers.run(kind, JSON.stringify(values));
    addAll(kind, values, now);
  });
  return {
    /**
     * Whether the account (its actor URI, or its `@user@host` handle, matched without regard to case) or its instance
     * (the actor's host or the handle's, or a domain above either) is blocked.
     */
    isBlocked(actorUri: string, handle?: string): boolean {
      const account = handle?.trim().replace(/^@/, '').toLowerCase();
      const accounts = [actorUri, ...(account ? [`@${account}`] : [])];
      const hosts = [hostOf(actorUri), account?.split('@')[1] ?? ''].filter(Boolean).flatMap(withParents);
      return blocked.get(JSON.stringify(accounts), JSON.stringify(hosts)) !== undefined;
    },
    blockAccount: (actorUri: string, now: number) => void add.run('account', actorUri, now),
    blockDomain: (host: string, now: number) => void add.run('domain', host, now),
    unblock: (kind: BlockKind, value: string) => remove.run(kind, value).changes > 0,
    list: (kind: BlockKind) => list.all(kind) as string[],
    /** Adds the values not yet blocked; the ones already there keep their date. */
    addAll: (kind: BlockKind, values: string[], now: number) => addAll(kind, values, now),
    /** The list of this kind becomes exactly these values; the ones kept keep their date. */
    replace: (kind: BlockKind, values: string[], now: number) => replace(kind, values, now),
  };
}

export type FediBlocksRepository = ReturnType<typeof createFediBlocksRepository>;
