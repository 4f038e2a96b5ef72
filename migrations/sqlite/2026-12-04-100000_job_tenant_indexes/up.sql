-- Composite indexes so that a tenant's job queries cost what its own rows cost, however many
-- rows other tenants own (issue 15 §3, measured in docs/benchmarks.md "Engine"):
-- - the first page of `GET /v1/jobs` (newest first: `ORDER BY id DESC`, ids are UUIDv7) was a
--   backward walk of the primary key through every tenant's rows; (tenant_id, id) reads the
--   tenant's newest rows directly, and serves every `tenant_id = ?` lookup the old
--   single-column index did, so that one goes;
-- - `?status=` lists and the claim's running count per tenant read (tenant_id, status, id);
-- - the claim's round robin (`max(started_at)` per tenant) reads (tenant_id, started_at).
CREATE INDEX jobs_tenant_recent_idx ON jobs(tenant_id, id);
CREATE INDEX jobs_tenant_status_idx ON jobs(tenant_id, status, id);
CREATE INDEX jobs_tenant_started_idx ON jobs(tenant_id, started_at);
DROP INDEX jobs_tenant_id_idx;
