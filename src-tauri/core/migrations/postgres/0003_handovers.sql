-- Who collected the result (or which parcel carried it), when, from which clerk, and the
-- citizen's satisfaction rating.
CREATE TABLE handovers (
    dossier_id    BIGINT PRIMARY KEY NOT NULL REFERENCES dossiers(id),
    method        TEXT NOT NULL,
    receiver_name TEXT NOT NULL,
    receiver_id   TEXT NOT NULL,
    is_applicant  BIGINT NOT NULL,
    authorisation TEXT NOT NULL,
    tracking      TEXT NOT NULL,
    at            BIGINT NOT NULL,
    clerk         TEXT NOT NULL,
    rating        BIGINT
);
