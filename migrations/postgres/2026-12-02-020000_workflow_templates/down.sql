ALTER TABLE workflows DROP COLUMN template_version;
ALTER TABLE workflows DROP COLUMN template_id;
-- The policies' subqueries depend on the other tables: drop them first.
DROP POLICY workflow_template_versions_offered ON workflow_template_versions;
DROP POLICY workflow_templates_offered ON workflow_templates;
DROP TABLE workflow_template_versions;
DROP TABLE workflow_template_shares;
DROP TABLE workflow_templates;
