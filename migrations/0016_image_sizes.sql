-- Responsive images (issue 12): an upload's width and height (NULL until measured, or for an imported attachment
-- still at its old address), and the smaller copies made beside it in WebP and its own format.
ALTER TABLE media ADD COLUMN width INTEGER;
ALTER TABLE media ADD COLUMN height INTEGER;

CREATE TABLE media_variants (
  media_id  INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL UNIQUE,                  -- beside the original: <its name>-<width>.<webp or its extension>
  mime      TEXT NOT NULL,
  width     INTEGER NOT NULL,
  height    INTEGER NOT NULL,
  size      INTEGER NOT NULL,
  PRIMARY KEY (media_id, mime, width)
);

-- Existing uploads are measured and get their copies at the blog's next start (sharp is code, not SQL), before
-- every post is rendered again, so the images of existing posts get srcset, sizes, width and height.
INSERT OR IGNORE INTO pending_work (name) VALUES ('image_sizes');
INSERT OR IGNORE INTO pending_work (name) VALUES ('rerender_html');
