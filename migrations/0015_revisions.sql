-- Earlier versions of a post (one row per save that changed it) and each author's autosave (one per post and user).
-- A revision outlives its author's account (user_id becomes NULL); the post's deletion takes its revisions along.
CREATE TABLE post_revisions (
  id            INTEGER PRIMARY KEY,
  post_id       INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('revision', 'autosave')),
  title         TEXT NOT NULL,
  body_markdown TEXT NOT NULL,
  excerpt       TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL
);
-- The Revisions screen lists a post's revisions newest first.
CREATE INDEX post_revisions_listing ON post_revisions (post_id, kind, id DESC);
-- An autosave is replaced, never added: one per post and user.
CREATE UNIQUE INDEX post_autosaves ON post_revisions (post_id, user_id) WHERE kind = 'autosave';
