DROP INDEX usage_records_job_id_idx;
ALTER TABLE usage_records DROP COLUMN node_id;
