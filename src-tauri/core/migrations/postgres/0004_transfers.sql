-- Dossiers carried between the desk and the processing unit, a hand-over list at a time
-- ("Danh sách bàn giao hồ sơ"); each transfer is also a row of the dossier's control slip.
CREATE TABLE transfer_batches (
    id        BIGSERIAL PRIMARY KEY,
    direction TEXT NOT NULL,
    at        BIGINT NOT NULL,
    unit      TEXT NOT NULL,
    giver     TEXT NOT NULL,
    receiver  TEXT NOT NULL,
    note      TEXT NOT NULL,
    clerk     TEXT NOT NULL
);
CREATE TABLE transfers (
    batch_id    BIGINT NOT NULL REFERENCES transfer_batches(id),
    dossier_id  BIGINT NOT NULL REFERENCES dossiers(id),
    from_status BIGINT NOT NULL,
    to_status   BIGINT NOT NULL,
    -- Where the dossier stands on the printed list.
    list_order  BIGINT NOT NULL,
    PRIMARY KEY (batch_id, dossier_id)
);
CREATE INDEX transfers_dossier ON transfers (dossier_id, batch_id);

-- What the post last said of a result sent by post (each report is also an event).
ALTER TABLE handovers ADD COLUMN delivery_status TEXT;
ALTER TABLE handovers ADD COLUMN delivery_at BIGINT;
