CREATE INDEX jobs_tenant_id_idx ON jobs(tenant_id);
DROP INDEX jobs_tenant_started_idx;
DROP INDEX jobs_tenant_status_idx;
DROP INDEX jobs_tenant_recent_idx;
