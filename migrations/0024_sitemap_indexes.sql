-- Sitemaps of a large blog without reading its posts (issue 10).

-- A sitemap file's rows off the index alone: the table row would be read past the post's bodies for
-- published_at, updated_at and parent_id (the columns after them), through its overflow pages.
DROP INDEX posts_sitemap;
CREATE INDEX posts_sitemap ON posts (status, id, updated_at, type, slug, published_at, parent_id);

-- The sitemap index's last change of each file is one seek here, where grouping every published post cost a
-- pass over all of them. 1999 is SITEMAP_SPAN (src/repositories/posts.ts): a query uses this index only when
-- it writes the same expression.
CREATE INDEX posts_sitemap_spans ON posts (status, (id - 1) / 1999, updated_at);
