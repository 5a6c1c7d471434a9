-- The chains cover the records themselves, not only their history.
--
-- Each event carries a digest of its dossier's state after it (the dossier row, its
-- hand-over, pauses and transfers; never a row id, which a move between databases
-- changes). The digest is part of the event's hash, so neither can be edited alone, and
-- `audit verify` recomputes each dossier against its last event. Events from before this
-- migration keep an empty digest; the first open after it records a "baseline" event for
-- their dossiers.
ALTER TABLE events ADD COLUMN state_hash TEXT NOT NULL DEFAULT '';

-- The third chain: every change to an account, a setting, a procedure or a calendar notice,
-- with the digest of the row after it (empty when the row was removed). `audit verify`
-- recomputes each of those rows against its last entry here.
CREATE TABLE record_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    desk       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    record     TEXT NOT NULL,
    key        TEXT NOT NULL,
    state_hash TEXT NOT NULL,
    data_json  TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX record_log_key ON record_log (record, key, id);

CREATE TRIGGER record_log_no_update BEFORE UPDATE ON record_log
BEGIN
    SELECT RAISE(ABORT, 'the record log is append-only');
END;
CREATE TRIGGER record_log_no_delete BEFORE DELETE ON record_log
BEGIN
    SELECT RAISE(ABORT, 'the record log is append-only');
END;

-- The genesis of each chain is sealed here, once: a new chain starts from the digest of
-- no entries (`audit::Genesis` of its table name). A chain that already holds entries from
-- before 0007 is sealed by the open that runs this migration; after it, an unsealed head is
-- reported as broken and never sealed again.
INSERT INTO audit_head (chain, genesis_last_id, genesis_hash, entries, last_hash) VALUES
    ('record_log', 0, '32d7ed5725a04b53d332fd0f4ad38cbda7647148fa14e713fedce83aee0c5e36', 0,
     '32d7ed5725a04b53d332fd0f4ad38cbda7647148fa14e713fedce83aee0c5e36');
UPDATE audit_head SET genesis_last_id = 0,
    genesis_hash = '0148db8594654b7827a34ec9fd5e9fcd41544c6c0524757019a64e77d4dab5ee',
    last_hash = '0148db8594654b7827a34ec9fd5e9fcd41544c6c0524757019a64e77d4dab5ee', entries = 0
WHERE chain = 'events' AND genesis_last_id < 0 AND NOT EXISTS (SELECT 1 FROM events);
UPDATE audit_head SET genesis_last_id = 0,
    genesis_hash = 'f0b829c7a1bc5f332274d839d7bbe9b4941cd1d81a8cca218df343abfe9dcb4a',
    last_hash = 'f0b829c7a1bc5f332274d839d7bbe9b4941cd1d81a8cca218df343abfe9dcb4a', entries = 0
WHERE chain = 'audit_log' AND genesis_last_id < 0 AND NOT EXISTS (SELECT 1 FROM audit_log);
