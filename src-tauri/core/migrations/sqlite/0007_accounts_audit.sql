-- Staff accounts. `name` is the login name (lower-case ASCII); `roles` the role codes,
-- comma-separated; `password_hash` an Argon2id PHC string. After repeated wrong passwords
-- `locked_until` (UTC ms, 0 = not locked) holds logins off, across restarts.
CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL,
    failed_count  INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Everything that is not a dossier's own history: logins (never a password), account
-- changes, full-record openings, personal-data exports. Append-only and hash-chained.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    desk      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    data_json TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Each event commits to the one before it. Events written before this migration keep
-- empty hashes: they are the chain's genesis block, digested when the store first opens.
ALTER TABLE events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- The head of each chain. Appending updates this row first, in the appending transaction,
-- so concurrent appends queue on it and the chain never forks. `genesis_last_id` is the
-- last entry before the chain started (-1 until the store has sealed the genesis block)
-- and `genesis_hash` the digest of the entries up to it; `entries` counts chained entries,
-- so deleting the newest ones is noticed.
CREATE TABLE audit_head (
    chain           TEXT PRIMARY KEY NOT NULL,
    genesis_last_id INTEGER NOT NULL,
    genesis_hash    TEXT NOT NULL,
    entries         INTEGER NOT NULL,
    last_hash       TEXT NOT NULL
);
INSERT INTO audit_head (chain, genesis_last_id, genesis_hash, entries, last_hash) VALUES ('events', -1, '', 0, '');
INSERT INTO audit_head (chain, genesis_last_id, genesis_hash, entries, last_hash) VALUES ('audit_log', -1, '', 0, '');
