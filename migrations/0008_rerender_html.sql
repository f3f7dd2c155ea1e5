-- Work a migration asks of the blog that SQL cannot do (rendering Markdown, sanitizing HTML). The blog does it
-- at its next start and deletes the row in the same transaction, so it happens once, whichever process applied
-- the migration (the server or a command-line tool) and even if that process stopped before doing it.
CREATE TABLE pending_work (
  name TEXT PRIMARY KEY
);

-- Stored post and comment HTML must be a fixed point of the browser's parser (issue 9, point 11): render what
-- the old renderer stored again. A later renderer change asks the same with INSERT OR IGNORE of this row.
INSERT INTO pending_work (name) VALUES ('rerender_html');
