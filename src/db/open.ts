import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { registerSqlFunctions } from './sql-functions.js';

export type Db = Database.Database;

/**
 * Opens the blog's database with the pragmas every connection needs. A new database file is created
 * readable by its owner only, in a folder only its owner may enter; SQLite gives the -wal and -shm files
 * it makes later the mode of the database file, whatever the umask.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // 'a' creates the file if missing and leaves an existing one as it is; SQLite takes an empty file as a new database.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // better-sqlite3 builds SQLite with a 16 MB page cache, which a growing database fills and the server then holds
  // for good; 8 MB keeps the large benchmark blog's pages as fast, and the OS keeps the rest of the file cached.
  db.pragma('cache_size = -8000');
  registerSqlFunctions(db);
  return db;
}
