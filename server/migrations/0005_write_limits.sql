-- The write rate limit, shared by every instance on this database: for each
-- client address, the time (Unix milliseconds) its allowance is back to
-- full when it writes no more. A row in the past means a full allowance,
-- the same as no row, so such rows may be deleted at any time.
CREATE TABLE write_limits (
    client TEXT PRIMARY KEY NOT NULL,
    full_at_ms BIGINT NOT NULL
);

CREATE INDEX write_limits_by_time ON write_limits (full_at_ms);
