import type { Database } from 'better-sqlite3';
import type { Commenter } from '../models.js';

export interface CommentersRepository {
  /** Creates the provider identity, or refreshes its name, picture, links and email. */
  upsert(commenter: Omit<Commenter, 'id'>): Commenter;
  findById(id: number): Commenter | undefined;
}

const columns = `id, provider, provider_uid AS providerUid, display_name AS displayName,
  picture_url AS pictureUrl, profile_url AS profileUrl, email`;

export function createCommentersRepository(db: Database): CommentersRepository {
  const upsert = db.prepare(`
    INSERT INTO commenters (provider, provider_uid, display_name, picture_url, profile_url, email)
    VALUES (@provider, @providerUid, @displayName, @pictureUrl, @profileUrl, @email)
    ON CONFLICT (provider, provider_uid) DO UPDATE SET
      display_name = excluded.display_name, picture_url = excluded.picture_url,
      profile_url = excluded.profile_url, email = excluded.email,
      updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    RETURNING ${columns}`);
  const byId = db.prepare(`SELECT ${columns} FROM commenters WHERE id = ?`);
  return {
    upsert: (c) => upsert.get(c) as Commenter,
    findById: (id) => byId.get(id) as Commenter | undefined,
  };
}
