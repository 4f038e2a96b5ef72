-- The template version a job runs, when it was submitted with `template_id` (issue 12 §2):
-- shown on the job and filterable, so a reseller's template runs can be found.
ALTER TABLE jobs ADD COLUMN template_id TEXT;
ALTER TABLE jobs ADD COLUMN template_version INTEGER;
CREATE INDEX jobs_tenant_template_idx ON jobs(tenant_id, template_id);
