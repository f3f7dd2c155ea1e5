-- Login sessions (commenters and authors), so a restart logs no one out.
CREATE TABLE sessions (
  sid        TEXT PRIMARY KEY,
  data       TEXT NOT NULL,              -- JSON of the session
  expires_at INTEGER NOT NULL            -- Unix milliseconds
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
