import type { Database } from 'better-sqlite3';

export interface PasswordResetsRepository {
  /** Keeps this link for the account, replacing any older one (only the newest link works). */
  save(reset: { userId: number; tokenHash: string; expiresAt: string; createdAt: string }): void;
  /** The account whose link has this hash, if the link has not expired by `now`; changes nothing. */
  findLive(tokenHash: string, now: string): number | undefined;
  /** Deletes the live link with this hash and returns its account: of two requests racing with one link, one gets it. */
  spend(tokenHash: string, now: string): number | undefined;
}

export function createPasswordResetsRepository(db: Database): PasswordResetsRepository {
  const save = db.prepare(`INSERT INTO password_resets (user_id, token_hash, expires_at, created_at)
    VALUES (@userId, @tokenHash, @expiresAt, @createdAt)
    ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at, created_at = excluded.created_at`);
  const findLive = db.prepare('SELECT user_id FROM password_resets WHERE token_hash = ? AND expires_at > ?').pluck();
  const spend = db.prepare('DELETE FROM password_resets WHERE token_hash = ? AND expires_at > ? RETURNING user_id').pluck();
  return {
    save: (reset) => void save.run(reset),
    findLive: (tokenHash, now) => findLive.get(tokenHash, now) as number | undefined,
    spend: (tokenHash, now) => spend.get(tokenHash, now) as number | undefined,
  };
}
