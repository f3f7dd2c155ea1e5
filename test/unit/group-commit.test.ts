import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/db/group-commit.js';
import { openDatabase, type Db } from '../../src/db/open.js';

let dir: string;
let db: Db;
let together: ReturnType<typeof createGroupCommit>;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-commit-'));
  db = openDatabase(path.join(dir, 'blog.db'));
  // Indexed as comments are: each commit rewrites the table's and each index's last page.
  db.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, author TEXT NOT NULL, body TEXT NOT NULL UNIQUE);
    CREATE INDEX notes_author ON notes (author, id)`);
  db.pragma('wal_autocheckpoint = 0');
  together = createGroupCommit(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const insert = (body: string) => () => Number(db.prepare('INSERT INTO notes (author, body) VALUES (?, ?)').run('Ani', body).lastInsertRowid);
/** Pages written to the WAL since it was last emptied: what the commits cost on disk. */
const walFrames = () => (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0].log;
const emptyWal = () => db.pragma('wal_checkpoint(TRUNCATE)');

describe('createGroupCommit', () => {
  it('commits the writes asked for in one turn once: the WAL takes their shared pages once, not once a write', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => `note ${i}`);
    emptyWal();
    for (const body of bodies) await together(insert(`alone ${body}`));
    const alone = walFrames();
    emptyWal();
    await Promise.all(bodies.map((body) => together(insert(`together ${body}`))));
    const inOneTurn = walFrames();
    expect(db.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(40);
    expect(alone).toBeGreaterThanOrEqual(40);
    expect(inOneTurn).toBeLessThanOrEqual(alone / 5);
  });

  it('answers each write with its own result, once another connection can read it', async () => {
    const reader = new Database(path.join(dir, 'blog.db'), { readonly: true });
    try {
      const seen = () => reader.prepare('SELECT count(*) FROM notes').pluck().get();
      const ids = await Promise.all(['a', 'b', 'c'].map((body) => together(() => {
        const id = insert(body)();
        expect(seen()).toBe(0);
        return id;
      }).then((got) => [got, seen()])));
      expect(ids).toEqual([[1, 3], [2, 3], [3, 3]]);
    } finally {
      reader.close();
    }
  });

  it('takes back only the changes of a write that throws, and rejects only its promise', async () => {
    const results = await Promise.allSettled([
      together(insert('kept')),
      together(() => {
        insert('taken back')();
        return insert('kept')(); // UNIQUE fails: this write's first insert goes too
      }),
      together(insert('also kept')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT body FROM notes ORDER BY id').pluck().all()).toEqual(['kept', 'also kept']);
  });
});
