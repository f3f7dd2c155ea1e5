-- Chinese and Japanese have no spaces between words, and the search index's tokenizer read a whole run of their
-- characters as one word: a search found such a word only where a run began with it. The index now holds each of
-- those characters as a word (search_text, a function the blog registers on every connection it opens:
-- src/search-words.ts), and a query's run is searched as the phrase of its characters. Other text is indexed as
-- before. What is indexed is no longer the posts' own text, so the index keeps no content of its own (content = ''):
-- the blog reads only its matches and bm25 from it.
DROP TRIGGER posts_fts_insert;
DROP TRIGGER posts_fts_delete;
DROP TRIGGER posts_fts_update;
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title, body_text,
  content = '',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.id, search_text(new.title), search_text(new.body_text));
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES ('delete', old.id, search_text(old.title), search_text(old.body_text));
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE OF title, body_text ON posts BEGIN
  INSERT INTO posts_fts (posts_fts, rowid, title, body_text) VALUES ('delete', old.id, search_text(old.title), search_text(old.body_text));
  INSERT INTO posts_fts (rowid, title, body_text) VALUES (new.id, search_text(new.title), search_text(new.body_text));
END;
INSERT INTO posts_fts (rowid, title, body_text) SELECT id, search_text(title), search_text(body_text) FROM posts;
