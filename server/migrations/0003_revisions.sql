-- Each change bumps a scenario's revision; an update may name the revision
-- it read (If-Match) and is refused if someone changed it since.
ALTER TABLE scenarios ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
