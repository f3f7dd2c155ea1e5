-- The admin: private preview links, old permalinks that still answer, and uploaded images.

-- An unguessable key per post for its /p/<key>/ preview link, given to every existing post.
ALTER TABLE posts ADD COLUMN preview_key TEXT;
UPDATE posts SET preview_key = lower(hex(randomblob(16)));
CREATE UNIQUE INDEX posts_preview_key ON posts (preview_key);

-- A published post's former paths (slug or date changed): each answers 301 to the current permalink.
CREATE TABLE post_redirects (
  path    TEXT PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE
);
CREATE INDEX post_redirects_post ON post_redirects (post_id);

-- Scheduled posts are found by their time, to publish each when it comes.
CREATE INDEX posts_scheduled ON posts (status, published_at) WHERE status = 'scheduled';

CREATE TABLE media (
  id            INTEGER PRIMARY KEY,
  file_name     TEXT NOT NULL UNIQUE,               -- random, with the extension of the detected type
  original_name TEXT NOT NULL,                      -- as uploaded, for the list only
  mime          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  uploaded_by   INTEGER NOT NULL REFERENCES users(id),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX media_uploader ON media (uploaded_by, id);
