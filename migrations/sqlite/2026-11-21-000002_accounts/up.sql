-- Accounts, API tokens, the audit log and login throttling; a version on every editable
-- catalog row so that a stale edit is refused instead of overwriting another.

ALTER TABLE technologies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE dimensions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE assessments ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    -- An argon2id PHC string.
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    disabled             BOOLEAN NOT NULL,
    -- Changed with the password or on disabling: sessions carrying an old stamp are over.
    security_stamp       TEXT NOT NULL,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'read-write')),
    -- SHA-256 of the token, hex: the token itself is shown once and never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    -- The token's first characters, to recognise it in the list.
    prefix       TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_by_created ON api_tokens (created_at, id);

-- Every change: who, when, what, and the item's values before and after (JSON text).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER REFERENCES users (id) ON DELETE RESTRICT,
    actor      TEXT NOT NULL,
    via        TEXT NOT NULL CHECK (via IN ('form', 'api', 'cli')),
    action     TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    item_kind  TEXT NOT NULL,
    item_id    INTEGER NOT NULL,
    item_label TEXT NOT NULL,
    -- The page whose history shows the entry, e.g. 'technology:3' for one of its facts.
    subject    TEXT NOT NULL,
    before     TEXT,
    after      TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at, id);
CREATE INDEX audit_log_by_kind ON audit_log (item_kind, at, id);
CREATE INDEX audit_log_by_user ON audit_log (user_id, at, id);
CREATE INDEX audit_log_by_subject ON audit_log (subject, id);

-- Failed logins in the current window, per account and per client address. In the database
-- so that every instance throttles alike.
CREATE TABLE login_failures (
    key               TEXT PRIMARY KEY,
    failures          INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL
);
