-- Request rate limits (issue 12, §5). On SQLite (one process) the buckets live in the
-- process (`auth::rate_limit`); the table keeps both schemas alike and stays empty.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    tat_us BIGINT NOT NULL
);
