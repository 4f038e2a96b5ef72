DROP INDEX webhook_deliveries_tenant_due_idx;
ALTER TABLE webhook_endpoints DROP COLUMN created_by;
