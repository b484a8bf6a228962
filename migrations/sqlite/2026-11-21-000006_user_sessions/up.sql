-- One row per signed-in session, so that a session can be ended on the server: signing out,
-- ending one's other sessions, an admin ending someone's, a password change or disabling
-- deletes rows, and a cookie naming a deleted row no longer signs anyone in, on any
-- instance.

CREATE TABLE user_sessions (
    id           INTEGER PRIMARY KEY,
    -- SHA-256 of the random token in the session's cookie, hex: the token is never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    -- Written at most about once a minute, not on every request.
    last_seen_at TIMESTAMP NOT NULL,
    -- For the owner to recognise the session by.
    user_agent   TEXT NOT NULL,
    address      TEXT NOT NULL
);
CREATE INDEX user_sessions_by_user ON user_sessions (user_id);

-- The rows replace the accounts' security stamps: a session from before them has no row,
-- and ends.
ALTER TABLE users DROP COLUMN security_stamp;
