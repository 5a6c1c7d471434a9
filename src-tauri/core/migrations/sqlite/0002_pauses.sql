-- Supplement requested (5) and waiting for fees (6) stop the clock; each interval is kept.
CREATE TABLE pauses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id  INTEGER NOT NULL REFERENCES dossiers(id),
    status_code INTEGER NOT NULL,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER
);
CREATE INDEX pauses_dossier ON pauses (dossier_id, id);
