-- Posts keep their divs and sections now, and a post's text (its search words, its page's description) has a space
-- wherever a block starts or ends: render the stored posts again (see 0008_rerender_html.sql).
INSERT OR IGNORE INTO pending_work (name) VALUES ('rerender_html');
