-- Supplement requested (5) and waiting for fees (6) stop the clock; each interval is kept.
CREATE TABLE pauses (
    id          BIGSERIAL PRIMARY KEY,
    dossier_id  BIGINT NOT NULL REFERENCES dossiers(id),
    status_code BIGINT NOT NULL,
    started_at  BIGINT NOT NULL,
    ended_at    BIGINT
);
CREATE INDEX pauses_dossier ON pauses (dossier_id, id);
