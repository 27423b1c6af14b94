-- Saved scenarios. Kept to types both SQLite and PostgreSQL accept.
CREATE TABLE scenarios (
    id TEXT PRIMARY KEY NOT NULL,
    schema_version INTEGER NOT NULL,
    name TEXT NOT NULL,
    inputs TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
