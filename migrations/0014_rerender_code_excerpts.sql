-- Issue 12: the renderer now highlights fenced code (highlight.js), makes code blocks focusable (<pre tabindex="0">)
-- and builds excerpts from the rendered blocks, each a sentence, without code or images. Stored posts are rendered
-- again at the next start (see 0008). "Continue reading" needs nothing stored: lists ask the post (excerptHasMore).
INSERT OR IGNORE INTO pending_work (name) VALUES ('rerender_html');
