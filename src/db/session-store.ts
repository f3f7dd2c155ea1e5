import session from 'express-session';
import type { Db } from './open.js';

const DAY_MS = 86400_000;

/** express-session's store in the blog's own SQLite database; expired rows are never returned, and pruned by the housekeeping timer. */
export class SqliteSessionStore extends session.Store {
  private readonly statements;
  private readonly otherSessionsOf;

  constructor(db: Db, private readonly now: () => number = Date.now) {
    super();
    this.statements = {
      get: db.prepare('SELECT data FROM sessions WHERE sid = ? AND expires_at > ?').pluck(),
      set: db.prepare(`INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`),
      touch: db.prepare('UPDATE sessions SET expires_at = ? WHERE sid = ?'),
      destroy: db.prepare('DELETE FROM sessions WHERE sid = ?'),
    };
    this.otherSessionsOf = db.prepare("DELETE FROM sessions WHERE json_extract(data, '$.passport.user') = ? AND sid <> ?");
  }

  private expiry(sess: session.SessionData): number {
    const expires = sess.cookie?.expires;
    return expires ? new Date(expires).getTime() : this.now() + DAY_MS;
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    const data = this.statements.get.get(sid, this.now()) as string | undefined;
    callback(null, data ? JSON.parse(data) : null);
  }

  override set(sid: string, sess: session.SessionData, callback?: (err?: unknown) => void): void {
    this.statements.set.run(sid, JSON.stringify(sess), this.expiry(sess));
    callback?.();
  }

  override touch(sid: string, sess: session.SessionData, callback?: () => void): void {
    this.statements.touch.run(this.expiry(sess), sid);
    callback?.();
  }

  /** Logs an account (`user:<id>`) out of every session but `keepSid` ('' keeps none): after a password change or removal. */
  destroyUserSessions(userKey: string, keepSid = ''): number {
    return this.otherSessionsOf.run(userKey, keepSid).changes;
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.statements.destroy.run(sid);
    callback?.();
  }
}
