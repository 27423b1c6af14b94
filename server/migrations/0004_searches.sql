-- Saved deployment searches: the search page's query string under a name,
-- so a short link re-runs it. Kept to types both SQLite and PostgreSQL accept.
CREATE TABLE searches (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
