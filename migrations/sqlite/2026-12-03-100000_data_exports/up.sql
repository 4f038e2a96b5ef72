-- Data exports (issue 13 §6, seed 004; docs/data-export.md): an archive of a tenant (every
-- row as JSON lines per table, its files and job artifacts, a manifest with SHA-256 sums) or
-- of one person's data, built by a background task and downloadable until `expires_at`.
-- `kind` says which: a tenant export names `tenant_id`, a personal one `subject_user_id`.
-- `storage_key` is the archive's path under the data directory, once it is built.
CREATE TABLE data_exports (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('tenant', 'user')),
    tenant_id TEXT REFERENCES tenants(id),
    subject_user_id TEXT REFERENCES users(id),
    requested_by TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    storage_key TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    expires_at TIMESTAMP,
    CHECK ((kind = 'tenant') = (tenant_id IS NOT NULL)),
    CHECK ((kind = 'user') = (subject_user_id IS NOT NULL))
);
CREATE INDEX data_exports_status_idx ON data_exports(status, created_at);
CREATE INDEX data_exports_tenant_idx ON data_exports(tenant_id, id);
CREATE INDEX data_exports_subject_idx ON data_exports(subject_user_id, id);
