DROP INDEX jobs_tenant_template_idx;
ALTER TABLE jobs DROP COLUMN template_version;
ALTER TABLE jobs DROP COLUMN template_id;
