-- The optional text layer of a digitised paper (Tesseract, Vietnamese), made in the
-- background: `text_layer` is 'pending' until the worker has read the file, then 'done'
-- (the file was replaced by the same pages with invisible text; its new hash is in `sha256`
-- and in the dossier's chained "scan_text" event), 'skipped' (not a PDF of scanned pages:
-- kept as it is) or 'failed' (`text_note` says why; not tried again by itself).
ALTER TABLE scans ADD COLUMN text_layer TEXT NOT NULL DEFAULT 'pending';
ALTER TABLE scans ADD COLUMN text_note TEXT NOT NULL DEFAULT '';
CREATE INDEX scans_text_layer ON scans (text_layer);
