-- Whether a post says more than its excerpt, so lists offer "Continue reading" only then (issue 12). Worked out
-- when the post is rendered, not for every list a reader loads; existing posts get it from the re-render.
ALTER TABLE posts ADD COLUMN says_more INTEGER NOT NULL DEFAULT 1;
INSERT OR IGNORE INTO pending_work (name) VALUES ('rerender_html');
