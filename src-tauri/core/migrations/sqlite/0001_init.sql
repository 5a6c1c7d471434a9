-- Instants are milliseconds since the Unix epoch (UTC); Vietnam dates are computed in Rust.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE procedures (
    code           TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    search_key     TEXT NOT NULL,
    field          TEXT NOT NULL,
    limit_json     TEXT NOT NULL,
    pause_policy   TEXT NOT NULL,
    fee_text       TEXT NOT NULL,
    documents_json TEXT NOT NULL,
    active         INTEGER NOT NULL,
    sort_order     INTEGER NOT NULL
);

-- Per agency and Vietnam day: the last sequence number issued.
CREATE TABLE day_counters (
    agency_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    last_seq    INTEGER NOT NULL,
    PRIMARY KEY (agency_code, day)
);

-- The register book: one book per year, lines running through it.
CREATE TABLE register_counters (
    year      INTEGER PRIMARY KEY NOT NULL,
    book      INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE TABLE dossiers (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    agency_code         TEXT NOT NULL,
    day                 TEXT NOT NULL,
    seq                 INTEGER NOT NULL,
    request_id          TEXT UNIQUE,
    status_code         INTEGER NOT NULL,
    procedure_code      TEXT NOT NULL REFERENCES procedures(code),
    procedure_json      TEXT NOT NULL,
    applicant_name      TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL,
    applicant_phone     TEXT NOT NULL,
    applicant_email     TEXT NOT NULL,
    applicant_address   TEXT NOT NULL,
    submitter_json      TEXT,
    documents_json      TEXT NOT NULL,
    sets                INTEGER NOT NULL,
    channel             TEXT NOT NULL,
    return_json         TEXT NOT NULL,
    received_at         INTEGER NOT NULL,
    due_at              INTEGER NOT NULL,
    fee_vnd             INTEGER,
    fee_text            TEXT NOT NULL,
    note                TEXT NOT NULL,
    register_year       INTEGER NOT NULL,
    register_book       INTEGER NOT NULL,
    register_line       INTEGER NOT NULL,
    desk                TEXT NOT NULL,
    issuer_json         TEXT NOT NULL,
    version             INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (agency_code, day, seq),
    UNIQUE (register_year, register_line)
);
CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_due ON dossiers (status_code, due_at);
CREATE INDEX dossiers_id_number ON dossiers (applicant_id_number, received_at);
CREATE INDEX dossiers_phone ON dossiers (applicant_phone, received_at);

-- Word-suffixes of each folded applicant name ("nguyen van an", "van an", "an"): a prefix
-- range over them finds a name by its start or by a middle name.
CREATE TABLE dossier_terms (
    term       TEXT NOT NULL,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    PRIMARY KEY (term, dossier_id)
);

-- Append-only: never updated or deleted.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_status INTEGER,
    to_status   INTEGER,
    note        TEXT NOT NULL,
    data_json   TEXT NOT NULL
);
CREATE INDEX events_dossier ON events (dossier_id, id);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Yearly government notices: extra days off and make-up working days.
CREATE TABLE calendar_notices (
    day       TEXT PRIMARY KEY NOT NULL,
    kind      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    reference TEXT NOT NULL
);
