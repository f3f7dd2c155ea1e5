-- Email subscriptions of commenters (issue 13): follow-up comments on a post, or new posts, each confirmed by a link.
CREATE TABLE subscribers (
  id         INTEGER PRIMARY KEY,
  email      TEXT NOT NULL UNIQUE,         -- lowercased, as comments keep it
  token      TEXT NOT NULL UNIQUE,         -- the manage page's address: the only authority over this list
  created_at TEXT NOT NULL
);

CREATE TABLE subscriptions (
  id            INTEGER PRIMARY KEY,
  subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  post_id       INTEGER REFERENCES posts (id) ON DELETE CASCADE,  -- NULL: new posts
  token         TEXT NOT NULL UNIQUE,      -- one-click unsubscribe (RFC 8058)
  confirm_token TEXT,                      -- set while it waits for the confirmation link; several may share one
  confirmed_at  TEXT,
  created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX subscriptions_one_each ON subscriptions (subscriber_id, coalesce(post_id, 0));
CREATE INDEX subscriptions_post ON subscriptions (post_id) WHERE confirmed_at IS NOT NULL;
CREATE INDEX subscriptions_confirm ON subscriptions (confirm_token) WHERE confirm_token IS NOT NULL;

-- Confirmation messages sent, counted per address and per post so the form cannot mail-bomb anyone; kept a day.
CREATE TABLE subscription_confirmations (
  email   TEXT NOT NULL,
  post_id INTEGER NOT NULL,
  sent_at TEXT NOT NULL
);
CREATE INDEX subscription_confirmations_email ON subscription_confirmations (email, sent_at);
CREATE INDEX subscription_confirmations_post ON subscription_confirmations (post_id, sent_at);

-- Posts already mailed to new-post subscribers: a post published again is not sent again.
CREATE TABLE subscription_posts_sent (
  post_id INTEGER PRIMARY KEY,
  sent_at TEXT NOT NULL
);
