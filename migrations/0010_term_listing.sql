-- A category's or tag's page read off one index range (issue 10): each post_terms row carries the time its post
-- entered the lists, so a term's newest posts are the end of (term_id, listed_at, post_id), with no visit to posts
-- to check the type, status and date of every post the term holds.

-- The post's published_at while it is a published post; NULL while it is a draft, scheduled, trashed or a page.
ALTER TABLE post_terms ADD COLUMN listed_at TEXT;

-- The backfill, also the statement to run after a bulk load that drops the triggers below.
UPDATE post_terms SET listed_at = (SELECT published_at FROM posts WHERE id = post_terms.post_id AND type = 'post' AND status = 'published');

CREATE INDEX post_terms_listing ON post_terms (term_id, listed_at, post_id);

-- Kept in step by triggers, like listing_months (0009), so every writer keeps it right.
CREATE TRIGGER post_terms_listed_insert AFTER INSERT ON post_terms BEGIN
  UPDATE post_terms SET listed_at = (SELECT published_at FROM posts WHERE id = new.post_id AND type = 'post' AND status = 'published')
  WHERE post_id = new.post_id AND term_id = new.term_id;
END;

CREATE TRIGGER post_terms_listed_update AFTER UPDATE OF type, status, published_at ON posts
WHEN old.type IS NOT new.type OR old.status IS NOT new.status OR old.published_at IS NOT new.published_at BEGIN
  UPDATE post_terms SET listed_at = CASE WHEN new.type = 'post' AND new.status = 'published' THEN new.published_at END
  WHERE post_id = new.id;
END;
