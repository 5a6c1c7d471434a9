-- Digitised papers: each row is one PDF file of a dossier's checklist row (`doc`, from 1)
-- or of its result (`result` = 1, `doc` 0). The file lives under the scans folder (beside
-- an SQLite database, or the `scans-folder` setting) at `file`, relative to it; `sha256`
-- is also in the dossier's chained "scanned" event, so a replaced file is found by
-- `audit verify`. `source` says how it came: sane (a scanner), file, folder (the watched
-- scan folder).
CREATE TABLE scans (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    doc        BIGINT NOT NULL,
    result     BIGINT NOT NULL DEFAULT 0,
    file       TEXT NOT NULL UNIQUE,
    sha256     TEXT NOT NULL,
    pages      BIGINT NOT NULL,
    bytes      BIGINT NOT NULL,
    source     TEXT NOT NULL,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL
);
CREATE INDEX scans_dossier ON scans (dossier_id, doc);
