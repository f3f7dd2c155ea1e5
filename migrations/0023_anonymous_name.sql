-- A nameless comment keeps an empty name, as WordPress's do, and is called "Anonymous" (or "Anonim") only when
-- shown, in the site's language of the day. Until now the English word itself was stored for one.
UPDATE comments SET author_name = '' WHERE author_name = 'Anonymous';
