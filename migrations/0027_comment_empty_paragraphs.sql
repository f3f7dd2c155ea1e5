-- A quote in a comment left two empty paragraphs around it (<p></p>): stored comments are settled again without
-- them, at the next start (see 0008_rerender_html.sql).
INSERT OR IGNORE INTO pending_work (name) VALUES ('rerender_html');
