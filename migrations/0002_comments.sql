-- Comments under posts: threaded, moderated, stored only after sanitizing.

CREATE TABLE comments (
  id           INTEGER PRIMARY KEY,
  post_id      INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  parent_id    INTEGER REFERENCES comments(id) ON DELETE SET NULL,
  status       TEXT NOT NULL CHECK (status IN ('approved', 'pending', 'spam', 'trash')),
  author_name  TEXT NOT NULL,
  author_email TEXT NOT NULL DEFAULT '',                           -- shown to the admin only
  avatar_hash  TEXT NOT NULL DEFAULT '',                           -- SHA-256 of the email, for Gravatar
  author_url   TEXT NOT NULL DEFAULT '',
  author_ip    TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT '',
  user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,   -- the blog's own author, logged in
  body_html    TEXT NOT NULL,                                      -- sanitized before it is stored
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX comments_post ON comments (post_id, status, id);
CREATE INDEX comments_email ON comments (author_email, status);
CREATE INDEX comments_ip_time ON comments (author_ip, created_at);
CREATE INDEX comments_status ON comments (status, id);
