-- Authors, posts and pages, their categories and tags, site settings, and the search index.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE,             -- the /author/<login>/ archive
  display_name  TEXT NOT NULL,
  email         TEXT UNIQUE COLLATE NOCASE,
  password_hash TEXT,                             -- NULL: the account cannot log in
  role          TEXT NOT NULL CHECK (role IN ('administrator', 'author')),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE posts (
  id             INTEGER PRIMARY KEY,
  type           TEXT NOT NULL DEFAULT 'post' CHECK (type IN ('post', 'page')),
  status         TEXT NOT NULL CHECK (status IN ('draft', 'published', 'scheduled', 'trash')),
  slug           TEXT NOT NULL UNIQUE,
  title          TEXT NOT NULL,
  lang           TEXT,                            -- NULL: the site's language
  body_markdown  TEXT NOT NULL,
  body_html      TEXT NOT NULL,                   -- rendered and sanitized when saved
  body_text      TEXT NOT NULL,                   -- plain text, for search and descriptions
  excerpt        TEXT NOT NULL DEFAULT '',        -- the author's own excerpt, plain text
  excerpt_html   TEXT NOT NULL,                   -- what lists show, made when saved
  author_id      INTEGER NOT NULL REFERENCES users(id),
  comments_open  INTEGER NOT NULL DEFAULT 1,
  published_at   TEXT,                            -- UTC ISO 8601; NULL for drafts
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX posts_listing ON posts (type, status, published_at DESC);
CREATE INDEX posts_author ON posts (author_id, type, status, published_at DESC);

CREATE TABLE terms (
  id       INTEGER PRIMARY KEY,
  taxonomy TEXT NOT NULL CHECK (taxonomy IN ('category', 'tag')),
  slug     TEXT NOT NULL,
  name     TEXT NOT NULL,
  UNIQUE (taxonomy, slug)
);

CREATE TABLE post_terms (
  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
  PRIMARY KEY (post_id, term_id)
);
CREATE INDEX post_terms_term ON post_terms (term_id, post_id);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL                             -- JSON
);

-- Accent-insensitive full-text search over what readers see, kept in step by triggers.
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title, body_text,
  content = 'posts', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body_text ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES ('delete', old.id, old.title, old.body_text);
  INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.id, new.title, new.body_text);
END;
