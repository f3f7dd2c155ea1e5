-- WordPress's duplicate-comment check looks at one author's comments on a post (by name, or by email): these indexes
-- let it read just those, where it read every comment of the post (quadratic on a busy post; 1,000,000 comments).
CREATE INDEX comments_post_author ON comments (post_id, author_name);
CREATE INDEX comments_post_email ON comments (post_id, author_email) WHERE author_email <> '';
