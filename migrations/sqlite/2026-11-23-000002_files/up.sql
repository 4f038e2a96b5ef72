-- Uploaded files (audio that jobs take their input from). Kept column-for-column in step with
-- migrations/postgres. The bytes live on disk under <data dir>/<storage_key>; the row is kept
-- (status 'deleted') when the blob is removed.
CREATE TABLE files (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'deleted')),
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);

CREATE INDEX files_tenant_id_idx ON files(tenant_id);
