-- The public status host keeps a dossier's blob until some days after its hand-over (the
-- `public-status-keep-days` setting). The sender deletes them in order of hand-over and
-- remembers here how far it got, so each day's sweep reads only the hand-overs since.
ALTER TABLE outbox_destinations ADD COLUMN swept_until BIGINT NOT NULL DEFAULT 0;
