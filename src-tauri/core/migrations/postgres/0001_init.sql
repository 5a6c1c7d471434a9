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
    active         BIGINT NOT NULL,
    sort_order     BIGINT NOT NULL
);

CREATE TABLE day_counters (
    agency_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    last_seq    BIGINT NOT NULL,
    PRIMARY KEY (agency_code, day)
);

CREATE TABLE register_counters (
    year      BIGINT PRIMARY KEY NOT NULL,
    book      BIGINT NOT NULL,
    last_line BIGINT NOT NULL
);

CREATE TABLE dossiers (
    id                  BIGSERIAL PRIMARY KEY,
    code                TEXT COLLATE "C" NOT NULL UNIQUE,
    agency_code         TEXT NOT NULL,
    day                 TEXT NOT NULL,
    seq                 BIGINT NOT NULL,
    request_id          TEXT UNIQUE,
    status_code         BIGINT NOT NULL,
    procedure_code      TEXT NOT NULL REFERENCES procedures(code),
    procedure_json      TEXT NOT NULL,
    applicant_name      TEXT NOT NULL,
    applicant_id_number TEXT COLLATE "C" NOT NULL,
    applicant_phone     TEXT COLLATE "C" NOT NULL,
    applicant_email     TEXT NOT NULL,
    applicant_address   TEXT NOT NULL,
    submitter_json      TEXT,
    documents_json      TEXT NOT NULL,
    sets                BIGINT NOT NULL,
    channel             TEXT NOT NULL,
    return_json         TEXT NOT NULL,
    received_at         BIGINT NOT NULL,
    due_at              BIGINT NOT NULL,
    fee_vnd             BIGINT,
    fee_text            TEXT NOT NULL,
    note                TEXT NOT NULL,
    register_year       BIGINT NOT NULL,
    register_book       BIGINT NOT NULL,
    register_line       BIGINT NOT NULL,
    desk                TEXT NOT NULL,
    issuer_json         TEXT NOT NULL,
    version             BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (agency_code, day, seq),
    UNIQUE (register_year, register_line)
);
CREATE INDEX dossiers_received ON dossiers (received_at);
CREATE INDEX dossiers_due ON dossiers (status_code, due_at);
CREATE INDEX dossiers_id_number ON dossiers (applicant_id_number, received_at);
CREATE INDEX dossiers_phone ON dossiers (applicant_phone, received_at);

CREATE TABLE dossier_terms (
    term       TEXT COLLATE "C" NOT NULL,
    dossier_id BIGINT NOT NULL REFERENCES dossiers(id),
    PRIMARY KEY (term, dossier_id)
);

CREATE TABLE events (
    id          BIGSERIAL PRIMARY KEY,
    dossier_id  BIGINT NOT NULL REFERENCES dossiers(id),
    at          BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    from_status BIGINT,
    to_status   BIGINT,
    note        TEXT NOT NULL,
    data_json   TEXT NOT NULL
);
CREATE INDEX events_dossier ON events (dossier_id, id);

CREATE FUNCTION events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE calendar_notices (
    day       TEXT PRIMARY KEY NOT NULL,
    kind      TEXT NOT NULL,
    reason    TEXT NOT NULL,
    reference TEXT NOT NULL
);
