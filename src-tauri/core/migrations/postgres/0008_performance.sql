-- What a million dossiers need to stay fast.
--
-- The moments the Biểu 06 report counts, kept on the dossier so that a year's report reads
-- one index instead of looking up a million dossiers' events: the first time the result was
-- ready (9), returned (10) or the dossier refused, withdrawn or stopped (3, 7, 8), and the
-- citizen's rating at hand-over. The events and hand-overs stay the record; triggers derive
-- these columns from them, whichever code appends the event.
ALTER TABLE dossiers ADD COLUMN ready_at BIGINT;
ALTER TABLE dossiers ADD COLUMN returned_at BIGINT;
ALTER TABLE dossiers ADD COLUMN closed_at BIGINT;
ALTER TABLE dossiers ADD COLUMN handover_rating BIGINT;

UPDATE dossiers SET
    ready_at = (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = dossiers.id AND e.to_status = 9),
    returned_at = (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = dossiers.id AND e.to_status = 10),
    closed_at = (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = dossiers.id AND e.to_status IN (3, 7, 8)),
    handover_rating = (SELECT h.rating FROM handovers h WHERE h.dossier_id = dossiers.id);

-- Everything the report's query reads, by procedure: it groups without sorting and never
-- touches the table.
CREATE INDEX dossiers_report ON dossiers (procedure_code, received_at, due_at, ready_at,
    returned_at, closed_at, handover_rating, channel);

CREATE FUNCTION events_milestones() RETURNS trigger AS $$
BEGIN
    UPDATE dossiers SET
        ready_at = CASE WHEN NEW.to_status = 9 AND (ready_at IS NULL OR NEW.at < ready_at)
                        THEN NEW.at ELSE ready_at END,
        returned_at = CASE WHEN NEW.to_status = 10 AND (returned_at IS NULL OR NEW.at < returned_at)
                           THEN NEW.at ELSE returned_at END,
        closed_at = CASE WHEN NEW.to_status IN (3, 7, 8) AND (closed_at IS NULL OR NEW.at < closed_at)
                         THEN NEW.at ELSE closed_at END
    WHERE id = NEW.dossier_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_milestones AFTER INSERT ON events
    FOR EACH ROW WHEN (NEW.to_status IN (3, 7, 8, 9, 10)) EXECUTE FUNCTION events_milestones();

CREATE FUNCTION handovers_rating() RETURNS trigger AS $$
BEGIN
    UPDATE dossiers SET handover_rating = NEW.rating WHERE id = NEW.dossier_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER handovers_rating AFTER INSERT ON handovers
    FOR EACH ROW EXECUTE FUNCTION handovers_rating();

-- Every change to the settings bumps a counter too. A desk keeps the settings it read and
-- checks that counter in the transaction that registers a dossier, starting again with
-- fresh settings when another desk changed them meanwhile.
INSERT INTO settings (key, value) VALUES ('internal.settings-version', '0') ON CONFLICT (key) DO NOTHING;

CREATE FUNCTION settings_changed() RETURNS trigger AS $$
BEGIN
    UPDATE settings SET value = (value::BIGINT + 1)::TEXT
    WHERE key = 'internal.settings-version';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER settings_written AFTER INSERT OR UPDATE ON settings
    FOR EACH ROW WHEN (NEW.key <> 'internal.settings-version') EXECUTE FUNCTION settings_changed();
CREATE TRIGGER settings_deleted AFTER DELETE ON settings
    FOR EACH ROW WHEN (OLD.key <> 'internal.settings-version') EXECUTE FUNCTION settings_changed();

-- Every change to the calendar notices or to the procedures bumps a counter, from whichever
-- process makes it, so a desk keeps the calendar it built (lunar computations included) and
-- the catalog it read until they change: registering a dossier reads two counters instead.
INSERT INTO settings (key, value) VALUES ('internal.calendar-version', '0') ON CONFLICT (key) DO NOTHING;
INSERT INTO settings (key, value) VALUES ('internal.catalog-version', '0') ON CONFLICT (key) DO NOTHING;

CREATE FUNCTION calendar_notices_changed() RETURNS trigger AS $$
BEGIN
    UPDATE settings SET value = (value::BIGINT + 1)::TEXT
    WHERE key = 'internal.calendar-version';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER calendar_notices_changed AFTER INSERT OR UPDATE OR DELETE ON calendar_notices
    FOR EACH STATEMENT EXECUTE FUNCTION calendar_notices_changed();

CREATE FUNCTION procedures_changed() RETURNS trigger AS $$
BEGIN
    UPDATE settings SET value = (value::BIGINT + 1)::TEXT
    WHERE key = 'internal.catalog-version';
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER procedures_changed AFTER INSERT OR UPDATE OR DELETE ON procedures
    FOR EACH STATEMENT EXECUTE FUNCTION procedures_changed();

-- The ready-to-collect list in its order (`Store::list`): its first page reads 50 index
-- entries instead of sorting every dossier waiting at the desk.
CREATE INDEX dossiers_ready ON dossiers (status_code, updated_at);
-- "All" in its order, newest first, ties by id: a page found in the index alone.
CREATE INDEX dossiers_received_id ON dossiers (received_at, id);
DROP INDEX dossiers_received;
