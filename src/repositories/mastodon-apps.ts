import type { Database } from 'better-sqlite3';

/** This blog's app as registered on one Mastodon instance (POST /api/v1/apps). */
export interface MastodonApp {
  /** The instance's origin, https://host[:port]. */
  instance: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
}

export interface MastodonAppsRepository {
  find(instance: string): MastodonApp | undefined;
  /** Keeps a new registration, replacing the one the instance forgot or that named an old address. */
  save(app: MastodonApp): void;
  forget(instance: string): void;
}

export function createMastodonAppsRepository(db: Database): MastodonAppsRepository {
  const byInstance = db.prepare(`SELECT instance, client_id AS clientId, client_secret AS clientSecret,
    redirect_uri AS redirectUri, scopes FROM mastodon_apps WHERE instance = ?`);
  const upsert = db.prepare(`INSERT INTO mastodon_apps (instance, client_id, client_secret, redirect_uri, scopes, created_at)
    VALUES (@instance, @clientId, @clientSecret, @redirectUri, @scopes, unixepoch())
    ON CONFLICT (instance) DO UPDATE SET client_id = excluded.client_id, client_secret = excluded.client_secret,
      redirect_uri = excluded.redirect_uri, scopes = excluded.scopes, created_at = excluded.created_at`);
  const remove = db.prepare('DELETE FROM mastodon_apps WHERE instance = ?');
  return {
    find: (instance) => byInstance.get(instance) as MastodonApp | undefined,
    save: (app) => void upsert.run(app),
    forget: (instance) => void remove.run(instance),
  };
}
