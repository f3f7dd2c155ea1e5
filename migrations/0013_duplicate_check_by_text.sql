-- The duplicate-comment check reads the comments on the post that end like the new one, where 0012 read every comment
-- its author left there (a blogger who answers each of thousands of comments on a post made each answer slower).
-- The end of the stored HTML tells comments apart (the text's last words), costs no new column, and stays right
-- whatever writes a comment. The body itself is still compared in full.
DROP INDEX comments_post_author;
DROP INDEX comments_post_email;
CREATE INDEX comments_post_text_end ON comments (post_id, substr(body_html, -32));
