-- "Lost your password?" links: one live link per account (a newer request replaces the older), stored only as the
-- SHA-256 of its random token, so a copy of the database cannot be used to set anyone's password.
CREATE TABLE password_resets (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL
);
-- A password set any other way (Profile, `npm run user:password`) or an email changed since voids the link: it was
-- sent for the account as it was, perhaps to an address that is no longer its own.
CREATE TRIGGER password_resets_void AFTER UPDATE OF password_hash, email ON users
  WHEN OLD.password_hash IS NOT NEW.password_hash OR OLD.email IS NOT NEW.email
BEGIN
  DELETE FROM password_resets WHERE user_id = NEW.id;
END;
