-- Whoever saved a scenario gets an edit token; only its SHA-256 is kept.
-- Rows saved before tokens existed have none and stay read-only.
ALTER TABLE scenarios ADD COLUMN edit_token_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE scenarios ADD COLUMN notes TEXT NOT NULL DEFAULT '';
