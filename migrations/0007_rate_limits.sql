-- Rate-limit counters (rate-limiter-flexible's SQLite layout), so a restart does not reset them.
CREATE TABLE rate_limits (
  key    TEXT PRIMARY KEY,               -- "<limit name>:<address or account>"
  points INTEGER NOT NULL DEFAULT 0,
  expire INTEGER                         -- Unix milliseconds
);
CREATE INDEX rate_limits_expiry ON rate_limits (expire);
