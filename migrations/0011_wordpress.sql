-- What moving a WordPress blog in needs (issue 11).

-- A post's source (body_markdown) is Markdown when written here, HTML when it came from WordPress; the editor keeps
-- each as it is, and the body is rendered from it through the same post allow-list.
ALTER TABLE posts ADD COLUMN source_format TEXT NOT NULL DEFAULT 'markdown' CHECK (source_format IN ('markdown', 'html'));
-- WordPress's post password, kept as the author typed it (the editor shows it, as WordPress does). NULL: not protected.
ALTER TABLE posts ADD COLUMN password TEXT;
-- Sticky posts stay first on the home page.
ALTER TABLE posts ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0;
-- A page's parent page: a child answers at /parent/child/.
ALTER TABLE posts ADD COLUMN parent_id INTEGER REFERENCES posts(id) ON DELETE SET NULL;
-- What a trashed item was before (WordPress's _wp_trash_meta_status), given back when it is restored.
ALTER TABLE posts ADD COLUMN status_before_trash TEXT CHECK (status_before_trash IN ('draft', 'published', 'scheduled'));
CREATE INDEX posts_parent ON posts (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX posts_sticky ON posts (published_at DESC) WHERE sticky = 1 AND type = 'post' AND status = 'published';

-- Categories nest, however deep; a parent's archive lists its children's posts too.
ALTER TABLE terms ADD COLUMN parent_id INTEGER REFERENCES terms(id) ON DELETE SET NULL;
ALTER TABLE terms ADD COLUMN description TEXT NOT NULL DEFAULT '';

-- Where each imported item came from: importing the same file again changes nothing, and WordPress's own links
-- (/?p=ID, /?page_id=ID) find their post.
CREATE TABLE wp_origins (
  site     TEXT NOT NULL,                          -- the export's base_blog_url (or base_site_url)
  kind     TEXT NOT NULL CHECK (kind IN ('post', 'comment', 'term', 'user', 'attachment')),
  wp_id    INTEGER NOT NULL,
  guid     TEXT,                                   -- posts and attachments
  local_id INTEGER NOT NULL,
  PRIMARY KEY (site, kind, wp_id)
);
CREATE INDEX wp_origins_wp_id ON wp_origins (kind, wp_id);
CREATE INDEX wp_origins_local ON wp_origins (kind, local_id);
CREATE INDEX wp_origins_guid ON wp_origins (guid) WHERE guid IS NOT NULL;

-- An imported attachment is a media entry whose file may still live at its old address (source_url) until it is
-- downloaded: file_name becomes optional. Nothing references media, so the table is rebuilt in place.
CREATE TABLE media_new (
  id            INTEGER PRIMARY KEY,
  file_name     TEXT UNIQUE,                        -- random, with the extension of the detected type; NULL: not here
  source_url    TEXT,                               -- where an imported attachment lives
  original_name TEXT NOT NULL,
  title         TEXT NOT NULL DEFAULT '',
  mime          TEXT NOT NULL,
  size          INTEGER NOT NULL,
  uploaded_by   INTEGER NOT NULL REFERENCES users(id),
  post_id       INTEGER REFERENCES posts(id) ON DELETE SET NULL,   -- the post it was attached to
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CHECK (file_name IS NOT NULL OR source_url IS NOT NULL)
);
INSERT INTO media_new (id, file_name, original_name, mime, size, uploaded_by, created_at)
  SELECT id, file_name, original_name, mime, size, uploaded_by, created_at FROM media;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;
CREATE INDEX media_uploader ON media (uploaded_by, id);
