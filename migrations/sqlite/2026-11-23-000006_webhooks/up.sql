-- Webhooks: tenant endpoints, per-job signing secrets, and the delivery log (an outbox:
-- deliveries are written in the transaction that finishes the job, then sent with retries).
ALTER TABLE jobs ADD COLUMN webhook_secret TEXT;

CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL DEFAULT '[]',
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX webhook_endpoints_tenant_id_idx ON webhook_endpoints(tenant_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    job_id TEXT,
    endpoint_id TEXT,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_tenant_id_idx ON webhook_deliveries(tenant_id);
