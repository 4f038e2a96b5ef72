DROP TABLE commission_statements;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE billing_periods;
DROP TABLE tenant_plan_history;
ALTER TABLE tenants DROP COLUMN billing_interval;
ALTER TABLE subscription_plans DROP COLUMN overage_millicents_per_minute;
DROP FUNCTION vf_immutable();
