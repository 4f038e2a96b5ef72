DROP INDEX files_tenant_created_idx;
DROP INDEX job_artifacts_tenant_created_idx;
DROP INDEX tenants_purge_after_idx;
ALTER TABLE users DROP COLUMN erased_at;
ALTER TABLE subscription_plans DROP COLUMN retention_days;
ALTER TABLE tenants DROP COLUMN retention_days;
ALTER TABLE tenants DROP COLUMN purged_at;
ALTER TABLE tenants DROP COLUMN purge_after;
