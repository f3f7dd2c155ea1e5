-- Email (issue 13): every message is a row, queued in the transaction that caused it and sent by the worker.
-- Times are Unix milliseconds, compared with the worker's clock.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL,
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  text            TEXT NOT NULL,
  html            TEXT NOT NULL,
  unsubscribe_url TEXT,
  message_id      TEXT NOT NULL UNIQUE,   -- made at queue time, so every attempt sends the same one
  -- sending: handed to the server and no answer yet; found at start-up it becomes unknown, never sent again.
  status          TEXT NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'unknown', 'suppressed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'queued';

-- Addresses never written to again: a hard bounce, or an unsubscribe from everything. Stored lowercased.
CREATE TABLE mail_suppressions (
  address    TEXT PRIMARY KEY,
  reason     TEXT NOT NULL CHECK (reason IN ('bounced', 'unsubscribed')),
  created_at INTEGER NOT NULL
);
