-- Data lifecycle (docs/data-lifecycle.md): a deleted tenant is purged by the sweeper once
-- `purge_after` has passed, and `purged_at` records that it was; files and job artifacts
-- older than the retention (the tenant's `retention_days`, else its plan's; null: kept)
-- are purged by the same sweeper; an erased user keeps an anonymous row (`erased_at`).
ALTER TABLE tenants ADD COLUMN purge_after TIMESTAMP;
ALTER TABLE tenants ADD COLUMN purged_at TIMESTAMP;
ALTER TABLE tenants ADD COLUMN retention_days INTEGER;
ALTER TABLE subscription_plans ADD COLUMN retention_days INTEGER;
ALTER TABLE users ADD COLUMN erased_at TIMESTAMP;
CREATE INDEX tenants_purge_after_idx ON tenants(purge_after) WHERE purged_at IS NULL;
CREATE INDEX job_artifacts_tenant_created_idx ON job_artifacts(tenant_id, created_at);
CREATE INDEX files_tenant_created_idx ON files(tenant_id, created_at);
