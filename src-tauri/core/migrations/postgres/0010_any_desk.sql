-- Any-desk intake ("phi địa giới hành chính", Nghị định 118/2025/NĐ-CP): a centre receives
-- dossiers that another authority decides.
--
-- A procedure the province lists as receivable whatever the citizen's residence.
ALTER TABLE procedures ADD COLUMN any_desk BIGINT NOT NULL DEFAULT 0;
-- The competent authority that decides the dossier when it is not the receiving office;
-- empty when the office decides itself. Part of the dossier's state digest once set.
ALTER TABLE dossiers ADD COLUMN authority TEXT NOT NULL DEFAULT '';
