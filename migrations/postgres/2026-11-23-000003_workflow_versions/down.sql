DROP TABLE workflow_versions;
ALTER TABLE workflows DROP COLUMN deleted_at;
ALTER TABLE workflows DROP COLUMN current_version;
