-- The outbox: what the outside world should learn of a dossier (intake, status moves, pauses
-- and resumptions, new appointments, ready, hand-over, delivery), written in the same
-- transaction as the change and removed only once its destination acknowledged it.
--
-- Where messages go: a drop folder, a webhook, or the public status host. The webhook's
-- HMAC secret is kept here like the slip secret; `personal` marks a destination entitled
-- to the applicant's personal fields. A folder is on one desk's computer: only the sender of
-- that `desk` writes it (empty: any desk's sender).
CREATE TABLE outbox_destinations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    target     TEXT NOT NULL,
    public_url TEXT NOT NULL DEFAULT '',
    secret     TEXT NOT NULL DEFAULT '',
    personal   BIGINT NOT NULL DEFAULT 0,
    desk       TEXT NOT NULL DEFAULT '',
    timeout_ms BIGINT NOT NULL DEFAULT 10000,
    created_at BIGINT NOT NULL
);

-- The last sequence number given to a dossier's messages for a destination: messages leave
-- the outbox once sent, so the numbering cannot be read back from them. The intake is
-- always 1 and writes none; the first later change makes it at 2.
CREATE TABLE outbox_counters (
    destination_id BIGINT NOT NULL REFERENCES outbox_destinations (id) ON DELETE CASCADE,
    code           TEXT NOT NULL,
    last_seq       BIGINT NOT NULL,
    PRIMARY KEY (destination_id, code)
);

-- One message for one destination. `body_json` holds the event's facts without personal
-- data; `personal_json` the applicant's fields, only for an entitled destination. A sender
-- claims a message by setting `claimed_until` (a lease: a killed sender's claim lapses and
-- another sends it), so several desks' senders never send the same message at once.
CREATE TABLE outbox_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    destination_id  BIGINT NOT NULL REFERENCES outbox_destinations (id) ON DELETE CASCADE,
    code            TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    event           TEXT NOT NULL,
    body_json       TEXT NOT NULL,
    personal_json   TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    claimed_until   BIGINT,
    UNIQUE (destination_id, code, seq)
);
