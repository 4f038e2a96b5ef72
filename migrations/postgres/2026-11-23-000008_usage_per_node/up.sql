-- Usage per workflow node: a job's nodes each record the audio seconds they processed
-- (`resource_type = 'node_audio'`), next to the job's own `job_audio` row.
ALTER TABLE usage_records ADD COLUMN node_id TEXT;
CREATE INDEX usage_records_job_id_idx ON usage_records(job_id);
