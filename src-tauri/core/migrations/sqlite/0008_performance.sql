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

CREATE TRIGGER events_milestones AFTER INSERT ON events
WHEN NEW.to_status IN (3, 7, 8, 9, 10)
BEGIN
    UPDATE dossiers SET
        ready_at = CASE WHEN NEW.to_status = 9 AND (ready_at IS NULL OR NEW.at < ready_at)
                        THEN NEW.at ELSE ready_at END,
        returned_at = CASE WHEN NEW.to_status = 10 AND (returned_at IS NULL OR NEW.at < returned_at)
                           THEN NEW.at ELSE returned_at END,
        closed_at = CASE WHEN NEW.to_status IN (3, 7, 8) AND (closed_at IS NULL OR NEW.at < closed_at)
                         THEN NEW.at ELSE closed_at END
    WHERE id = NEW.dossier_id;
END;

CREATE TRIGGER handovers_rating AFTER INSERT ON handovers
BEGIN
    UPDATE dossiers SET handover_rating = NEW.rating WHERE id = NEW.dossier_id;
END;

-- Every change to the settings bumps a counter too. A desk keeps the settings it read and
-- checks that counter in the transaction that registers a dossier, starting again with
-- fresh settings when another desk changed them meanwhile.
INSERT INTO settings (key, value) VALUES ('internal.settings-version', '0') ON CONFLICT (key) DO NOTHING;
CREATE TRIGGER settings_inserted AFTER INSERT ON settings
WHEN NEW.key <> 'internal.settings-version'
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.settings-version';
END;
CREATE TRIGGER settings_updated AFTER UPDATE ON settings
WHEN NEW.key <> 'internal.settings-version'
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.settings-version';
END;
CREATE TRIGGER settings_deleted AFTER DELETE ON settings
WHEN OLD.key <> 'internal.settings-version'
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.settings-version';
END;

-- Every change to the calendar notices or to the procedures bumps a counter, from whichever
-- process makes it, so a desk keeps the calendar it built (lunar computations included) and
-- the catalog it read until they change: registering a dossier reads two counters instead.
INSERT INTO settings (key, value) VALUES ('internal.calendar-version', '0') ON CONFLICT (key) DO NOTHING;
INSERT INTO settings (key, value) VALUES ('internal.catalog-version', '0') ON CONFLICT (key) DO NOTHING;
CREATE TRIGGER calendar_notices_inserted AFTER INSERT ON calendar_notices
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.calendar-version';
END;
CREATE TRIGGER calendar_notices_updated AFTER UPDATE ON calendar_notices
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.calendar-version';
END;
CREATE TRIGGER calendar_notices_deleted AFTER DELETE ON calendar_notices
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.calendar-version';
END;
CREATE TRIGGER procedures_inserted AFTER INSERT ON procedures
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.catalog-version';
END;
CREATE TRIGGER procedures_updated AFTER UPDATE ON procedures
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.catalog-version';
END;
CREATE TRIGGER procedures_deleted AFTER DELETE ON procedures
BEGIN
    UPDATE settings SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)
    WHERE key = 'internal.catalog-version';
END;

-- The search terms keyed by their primary key alone: one B-tree instead of a table and its
-- index, one page less to write per registered dossier, and a name search reads no table.
CREATE TABLE dossier_terms_keyed (
    term       TEXT NOT NULL,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    PRIMARY KEY (term, dossier_id)
) WITHOUT ROWID;
INSERT INTO dossier_terms_keyed (term, dossier_id) SELECT term, dossier_id FROM dossier_terms;
DROP TABLE dossier_terms;
ALTER TABLE dossier_terms_keyed RENAME TO dossier_terms;

-- The ready-to-collect list in its order (`Store::list`): its first page reads 50 index
-- entries instead of sorting every dossier waiting at the desk.
CREATE INDEX dossiers_ready ON dossiers (status_code, updated_at);
