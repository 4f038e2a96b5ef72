-- Billing (docs/billing.md): a period close turns each tenant's plan time and metered usage
-- into an immutable invoice, and each reseller's invoices into an immutable commission
-- statement.

-- Overage beyond the plan's included minutes, in thousandths of a cent per minute, so rates
-- such as 0.006 a minute are exact. 0: overage is free.
ALTER TABLE subscription_plans ADD COLUMN overage_millicents_per_minute BIGINT NOT NULL DEFAULT 0;
-- `month` (the monthly price) or `year` (the yearly price, spread over the year's seconds).
ALTER TABLE tenants ADD COLUMN billing_interval TEXT NOT NULL DEFAULT 'month';

-- What a tenant was subscribed to, and from when: a row whenever its plan, interval,
-- subscription status or tenant status changes (written by the tenants repository with the
-- change). Proration reads it.
CREATE TABLE tenant_plan_history (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    plan_id TEXT,
    billing_interval TEXT NOT NULL,
    subscription_status TEXT NOT NULL,
    tenant_status TEXT NOT NULL,
    effective_at TIMESTAMP NOT NULL
);
CREATE INDEX tenant_plan_history_tenant_idx ON tenant_plan_history (tenant_id, effective_at);
-- Existing tenants: their state now, since they were created (the closest record there is);
-- a deleted tenant's since its creation, ending at its last update.
INSERT INTO tenant_plan_history
    SELECT id, id, subscription_plan_id, billing_interval,
           CASE WHEN status = 'deleted' THEN 'active' ELSE subscription_status END,
           CASE WHEN status = 'deleted' THEN 'active' ELSE status END, created_at
    FROM tenants;
INSERT INTO tenant_plan_history
    SELECT id || '-deleted', id, subscription_plan_id, billing_interval, subscription_status,
           status, updated_at
    FROM tenants WHERE status = 'deleted';

CREATE TABLE billing_periods (
    period TEXT PRIMARY KEY NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    closed_at TIMESTAMP NOT NULL,
    closed_by TEXT,
    invoice_count INTEGER NOT NULL,
    statement_count INTEGER NOT NULL
);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    period TEXT NOT NULL REFERENCES billing_periods(period),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    reseller_id TEXT REFERENCES resellers(id),
    tenant_name TEXT NOT NULL,
    currency TEXT NOT NULL,
    subtotal_cents BIGINT NOT NULL,
    tax_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    period_start TIMESTAMP NOT NULL,
    period_end TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX invoices_tenant_idx ON invoices (tenant_id, period);
CREATE INDEX invoices_reseller_idx ON invoices (reseller_id, period);
CREATE UNIQUE INDEX invoices_one_per_tenant_period ON invoices (period, tenant_id, currency);

CREATE TABLE invoice_lines (
    id TEXT PRIMARY KEY NOT NULL,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    plan_id TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    quantity_ms BIGINT,
    unit_price_millicents BIGINT,
    amount_cents BIGINT NOT NULL
);
CREATE INDEX invoice_lines_invoice_idx ON invoice_lines (invoice_id, position);

CREATE TABLE commission_statements (
    id TEXT PRIMARY KEY NOT NULL,
    number TEXT NOT NULL UNIQUE,
    period TEXT NOT NULL REFERENCES billing_periods(period),
    reseller_id TEXT NOT NULL REFERENCES resellers(id),
    reseller_name TEXT NOT NULL,
    currency TEXT NOT NULL,
    invoice_count INTEGER NOT NULL,
    revenue_cents BIGINT NOT NULL,
    commission_rate_bp INTEGER NOT NULL,
    commission_cents BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX commission_statements_one_per_period
    ON commission_statements (period, reseller_id, currency);

-- Closed books stay closed: no row of a close is ever changed or removed.
CREATE TRIGGER billing_periods_immutable_update BEFORE UPDATE ON billing_periods
    BEGIN SELECT RAISE(ABORT, 'billing periods are immutable'); END;
CREATE TRIGGER billing_periods_immutable_delete BEFORE DELETE ON billing_periods
    BEGIN SELECT RAISE(ABORT, 'billing periods are immutable'); END;
CREATE TRIGGER invoices_immutable_update BEFORE UPDATE ON invoices
    BEGIN SELECT RAISE(ABORT, 'invoices are immutable'); END;
CREATE TRIGGER invoices_immutable_delete BEFORE DELETE ON invoices
    BEGIN SELECT RAISE(ABORT, 'invoices are immutable'); END;
CREATE TRIGGER invoice_lines_immutable_update BEFORE UPDATE ON invoice_lines
    BEGIN SELECT RAISE(ABORT, 'invoice lines are immutable'); END;
CREATE TRIGGER invoice_lines_immutable_delete BEFORE DELETE ON invoice_lines
    BEGIN SELECT RAISE(ABORT, 'invoice lines are immutable'); END;
CREATE TRIGGER commission_statements_immutable_update BEFORE UPDATE ON commission_statements
    BEGIN SELECT RAISE(ABORT, 'commission statements are immutable'); END;
CREATE TRIGGER commission_statements_immutable_delete BEFORE DELETE ON commission_statements
    BEGIN SELECT RAISE(ABORT, 'commission statements are immutable'); END;
