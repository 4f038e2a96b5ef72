-- Bumped by a password change (or an admin's reset): access tokens carry the epoch they were
-- issued in, and one from an earlier epoch is refused, so every session of the account ends.
ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
