-- A post's featured image (WordPress's _thumbnail_id): one of the media library's entries. Deleting the upload
-- leaves the post without one rather than pointing at nothing.
ALTER TABLE posts ADD COLUMN featured_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL;
-- Deleting an upload looks up the posts that feature it (the foreign key's action, and the pages to refresh).
CREATE INDEX posts_featured_media ON posts (featured_media_id) WHERE featured_media_id IS NOT NULL;
