DROP POLICY usage_records_isolation ON usage_records;
CREATE POLICY usage_records_isolation ON usage_records
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));
DROP INDEX usage_records_time_idx;
DROP INDEX usage_records_tenant_time_idx;
ALTER TABLE usage_records DROP COLUMN node_kind;
