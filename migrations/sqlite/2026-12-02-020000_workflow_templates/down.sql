ALTER TABLE workflows DROP COLUMN template_version;
ALTER TABLE workflows DROP COLUMN template_id;
DROP TABLE workflow_template_shares;
DROP TABLE workflow_template_versions;
DROP TABLE workflow_templates;
