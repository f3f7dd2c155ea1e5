-- Visitors who comment with an account at a login provider: one row per provider identity.
CREATE TABLE commenters (
  id           INTEGER PRIMARY KEY,
  provider     TEXT NOT NULL CHECK (provider IN ('twitter', 'facebook', 'google', 'wordpress')),
  provider_uid TEXT NOT NULL,
  display_name TEXT NOT NULL,
  picture_url  TEXT NOT NULL DEFAULT '',       -- https only, else empty
  profile_url  TEXT NOT NULL DEFAULT '',       -- http(s) only, else empty
  email        TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (provider, provider_uid)
);

ALTER TABLE comments ADD COLUMN commenter_id INTEGER REFERENCES commenters(id) ON DELETE SET NULL;
CREATE INDEX comments_commenter ON comments (commenter_id, status);
