DROP INDEX usage_records_time_idx;
DROP INDEX usage_records_tenant_time_idx;
ALTER TABLE usage_records DROP COLUMN node_kind;
