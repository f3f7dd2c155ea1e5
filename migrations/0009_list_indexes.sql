-- Reader lists straight off indexes, however large the blog (issue 10).

-- Newest first is the index read backwards: publication time, then id for posts published the same instant
-- (the old indexes ended in published_at DESC, so the id tie-break needed a sort).
DROP INDEX posts_listing;
CREATE INDEX posts_listing ON posts (type, status, published_at, id);
DROP INDEX posts_author;
CREATE INDEX posts_author ON posts (author_id, type, status, published_at, id);
-- The sitemap reads published posts in id spans, with their modification times, off this index alone.
CREATE INDEX posts_sitemap ON posts (status, id, updated_at);

-- How many published posts each list holds per (UTC) month: 'all', 'author:<id>' and 'term:<id>'. A list's
-- count is the sum of its few rows, and page N is found by walking the months to the one it starts in, then
-- reading a few hundred index entries at most, where OFFSET alone would step over every newer post.
CREATE TABLE listing_months (
  listing TEXT NOT NULL,
  month   TEXT NOT NULL,                 -- 'YYYY-MM', the first 7 characters of published_at ('0000-00' if none)
  n       INTEGER NOT NULL,
  PRIMARY KEY (listing, month)
) WITHOUT ROWID;

INSERT INTO listing_months (listing, month, n)
  SELECT 'all', coalesce(substr(published_at, 1, 7), '0000-00'), count(*) FROM posts
  WHERE type = 'post' AND status = 'published' GROUP BY 2;
INSERT INTO listing_months (listing, month, n)
  SELECT 'author:' || author_id, coalesce(substr(published_at, 1, 7), '0000-00'), count(*) FROM posts
  WHERE type = 'post' AND status = 'published' GROUP BY 1, 2;
INSERT INTO listing_months (listing, month, n)
  SELECT 'term:' || pt.term_id, coalesce(substr(p.published_at, 1, 7), '0000-00'), count(*) FROM post_terms pt JOIN posts p ON p.id = pt.post_id
  WHERE p.type = 'post' AND p.status = 'published' GROUP BY 1, 2;

-- Kept in step by triggers, so every writer (the admin, scheduled publishing, imports, the command line) counts.
CREATE TRIGGER listing_months_post_insert AFTER INSERT ON posts
WHEN new.type = 'post' AND new.status = 'published' BEGIN
  INSERT INTO listing_months (listing, month, n) VALUES
    ('all', coalesce(substr(new.published_at, 1, 7), '0000-00'), 1), ('author:' || new.author_id, coalesce(substr(new.published_at, 1, 7), '0000-00'), 1)
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- BEFORE, so the post's terms are still there (its post_terms rows go with it, by cascade).
CREATE TRIGGER listing_months_post_delete BEFORE DELETE ON posts
WHEN old.type = 'post' AND old.status = 'published' BEGIN
  UPDATE listing_months SET n = n - 1 WHERE month = coalesce(substr(old.published_at, 1, 7), '0000-00')
    AND (listing IN ('all', 'author:' || old.author_id)
      OR listing IN (SELECT 'term:' || term_id FROM post_terms WHERE post_id = old.id));
END;

CREATE TRIGGER listing_months_post_leave AFTER UPDATE OF type, status, published_at, author_id ON posts
WHEN old.type = 'post' AND old.status = 'published' BEGIN
  UPDATE listing_months SET n = n - 1 WHERE month = coalesce(substr(old.published_at, 1, 7), '0000-00')
    AND (listing IN ('all', 'author:' || old.author_id)
      OR listing IN (SELECT 'term:' || term_id FROM post_terms WHERE post_id = old.id));
END;

CREATE TRIGGER listing_months_post_enter AFTER UPDATE OF type, status, published_at, author_id ON posts
WHEN new.type = 'post' AND new.status = 'published' BEGIN
  INSERT INTO listing_months (listing, month, n)
    SELECT 'all', coalesce(substr(new.published_at, 1, 7), '0000-00'), 1
    UNION ALL SELECT 'author:' || new.author_id, coalesce(substr(new.published_at, 1, 7), '0000-00'), 1
    UNION ALL SELECT 'term:' || term_id, coalesce(substr(new.published_at, 1, 7), '0000-00'), 1 FROM post_terms WHERE post_id = new.id
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER listing_months_term_insert AFTER INSERT ON post_terms BEGIN
  INSERT INTO listing_months (listing, month, n)
    SELECT 'term:' || new.term_id, coalesce(substr(published_at, 1, 7), '0000-00'), 1 FROM posts
    WHERE id = new.post_id AND type = 'post' AND status = 'published'
  ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER listing_months_term_delete AFTER DELETE ON post_terms BEGIN
  UPDATE listing_months SET n = n - 1 WHERE listing = 'term:' || old.term_id
    AND month = (SELECT coalesce(substr(published_at, 1, 7), '0000-00') FROM posts WHERE id = old.post_id AND type = 'post' AND status = 'published');
END;
