-- foreign_keys: off
-- The Fediverse (issue 15). The marker above makes migrate() run this file with foreign keys off, as SQLite's
-- table-rebuilding procedure asks: commenters is rebuilt below, and dropping it with them on would empty every
-- comment's commenter_id.

-- A Fediverse account is a commenter like the four login providers: the account a reply comes from and the one a
-- visitor logs in with are the same row, keyed by the actor's URI.
CREATE TABLE commenters_new (
  id           INTEGER PRIMARY KEY,
  provider     TEXT NOT NULL CHECK (provider IN ('twitter', 'facebook', 'google', 'wordpress', 'fediverse')),
  provider_uid TEXT NOT NULL,
  display_name TEXT NOT NULL,
  picture_url  TEXT NOT NULL DEFAULT '',       -- https only, else empty
  profile_url  TEXT NOT NULL DEFAULT '',       -- http(s) only, else empty
  email        TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (provider, provider_uid)
);
INSERT INTO commenters_new SELECT id, provider, provider_uid, display_name, picture_url, profile_url, email, created_at, updated_at FROM commenters;
DROP TABLE commenters;
ALTER TABLE commenters_new RENAME TO commenters;

-- A reply that came as a Note keeps the Note's id: its Update and Delete find it by that, and a second delivery of
-- the same Create is recognised.
ALTER TABLE comments ADD COLUMN fedi_object_id TEXT;
CREATE UNIQUE INDEX comments_fedi_object ON comments (fedi_object_id) WHERE fedi_object_id IS NOT NULL;

-- Fedify's key-value store (remote keys, idempotency records, its caches). Times are Unix milliseconds.
CREATE TABLE fedi_kv (
  key        TEXT PRIMARY KEY,                 -- the KvKey's parts, JSON-encoded
  value      TEXT NOT NULL,                    -- JSON
  expires_at INTEGER                           -- NULL: kept until deleted
);
CREATE INDEX fedi_kv_expiry ON fedi_kv (expires_at) WHERE expires_at IS NOT NULL;

-- Fedify's message queue: outgoing deliveries (with their retries) and inbox work, so nothing is lost in a restart.
CREATE TABLE fedi_queue (
  id       INTEGER PRIMARY KEY,
  message  TEXT NOT NULL,                      -- JSON
  run_at   INTEGER NOT NULL,                   -- not before this time
  taken_at INTEGER                             -- set while a worker handles it; cleared again at start-up
);
CREATE INDEX fedi_queue_due ON fedi_queue (run_at) WHERE taken_at IS NULL;

-- The blog actor's key pairs, made once: RSA for HTTP Signatures, Ed25519 for object integrity proofs.
CREATE TABLE fedi_keys (
  algorithm   TEXT PRIMARY KEY CHECK (algorithm IN ('RSASSA-PKCS1-v1_5', 'Ed25519')),
  private_jwk TEXT NOT NULL,
  public_jwk  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE fedi_followers (
  id           INTEGER PRIMARY KEY,
  actor_uri    TEXT NOT NULL UNIQUE,
  handle       TEXT NOT NULL,                  -- @user@host, as the admin lists it
  name         TEXT NOT NULL DEFAULT '',
  inbox        TEXT NOT NULL,
  shared_inbox TEXT,                           -- one delivery per instance when it has one
  follow_id    TEXT NOT NULL,                  -- the Follow's id: the Accept names it, an Undo matches it
  created_at   INTEGER NOT NULL
);

-- Blocked accounts (by actor URI) and instances (by lowercased host): their follows, replies and reactions are dropped.
CREATE TABLE fedi_blocks (
  kind       TEXT NOT NULL CHECK (kind IN ('account', 'domain')),
  value      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, value)
);

-- Likes and boosts of a post; an Undo names the activity's id.
CREATE TABLE fedi_reactions (
  activity_id TEXT PRIMARY KEY,
  post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('like', 'announce')),
  actor_uri   TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (post_id, kind, actor_uri)
);
-- The counts live on the post, kept in step by triggers, so the post page reads no extra table.
ALTER TABLE posts ADD COLUMN fedi_likes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE posts ADD COLUMN fedi_boosts INTEGER NOT NULL DEFAULT 0;
CREATE TRIGGER fedi_reactions_count_insert AFTER INSERT ON fedi_reactions BEGIN
  UPDATE posts SET fedi_likes = fedi_likes + (new.kind = 'like'), fedi_boosts = fedi_boosts + (new.kind = 'announce')
  WHERE id = new.post_id;
END;
CREATE TRIGGER fedi_reactions_count_delete AFTER DELETE ON fedi_reactions BEGIN
  UPDATE posts SET fedi_likes = fedi_likes - (old.kind = 'like'), fedi_boosts = fedi_boosts - (old.kind = 'announce')
  WHERE id = old.post_id;
END;

-- Deliveries given up on after the last retry, so the admin can say which instance missed what.
CREATE TABLE fedi_undelivered (
  id            INTEGER PRIMARY KEY,
  inbox         TEXT NOT NULL,
  activity_id   TEXT NOT NULL,
  activity_type TEXT NOT NULL,
  error         TEXT NOT NULL,
  given_up_at   INTEGER NOT NULL
);

-- Log in with Mastodon: the app this blog registered on each instance, reused until the instance forgets it.
CREATE TABLE mastodon_apps (
  instance      TEXT PRIMARY KEY,              -- the instance's origin, https://host[:port]
  client_id     TEXT NOT NULL,
  client_secret TEXT NOT NULL,
  redirect_uri  TEXT NOT NULL,                 -- a changed site address registers again
  scopes        TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
