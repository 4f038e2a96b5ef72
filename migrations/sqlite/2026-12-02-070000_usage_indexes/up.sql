-- Usage reports (docs/usage.md) read a tenant's, a reseller's or the whole platform's
-- usage over a time range, grouped by day or month in SQL. Two covering indexes serve them:
-- by tenant then time (tenant and reseller reports, and admission's monthly total), and by
-- time alone (platform reports). Each carries every column a report reads, so a report
-- never touches the table itself. (The seed's single-column `usage_records_tenant_id_idx`
-- stays, though the first is a superset of it.)
--
-- Node rows (`node_audio`) also record their node's kind, so a report can group by it
-- without the job (deleted jobs keep their usage, not their nodes); older rows take it
-- from their job's nodes where those still exist.
ALTER TABLE usage_records ADD COLUMN node_kind TEXT;
UPDATE usage_records SET node_kind = (
    SELECT n.kind FROM job_nodes n
    WHERE n.job_id = usage_records.job_id AND n.node_id = usage_records.node_id
) WHERE resource_type = 'node_audio' AND job_id IS NOT NULL AND node_id IS NOT NULL;
CREATE INDEX usage_records_tenant_time_idx
    ON usage_records(tenant_id, recorded_at, resource_type, node_kind, amount_milli);
CREATE INDEX usage_records_time_idx
    ON usage_records(recorded_at, tenant_id, resource_type, node_kind, amount_milli);
