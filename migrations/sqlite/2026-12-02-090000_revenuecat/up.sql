-- RevenueCat subscriptions (issue 13, §3; docs/revenuecat.md). One integration per owner:
-- the platform (level 'platform', for tenants sold directly) or a reseller (its tenants).
-- RevenueCat sends the dashboard's "Authorization header value" with every webhook; only its
-- SHA-256 is stored (`authorization_sha256`, unique: the header alone names the integration).
-- The mappings are JSON arrays, in priority order:
--   app_users    [{"app_user_id": "…", "tenant_id": "…"}]
--   entitlements [{"entitlement_id": "…", "plan_id": "…"}]
--   products     [{"product_id": "…", "plan_id": "…"}]
CREATE TABLE revenuecat_configs (
    id TEXT PRIMARY KEY NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('platform', 'reseller')),
    reseller_id TEXT REFERENCES resellers(id),
    authorization_sha256 TEXT NOT NULL,
    authorization_hint TEXT NOT NULL,
    app_user_id_is_tenant_id BOOLEAN NOT NULL DEFAULT 1,
    app_users TEXT NOT NULL DEFAULT '[]',
    entitlements TEXT NOT NULL DEFAULT '[]',
    products TEXT NOT NULL DEFAULT '[]',
    apply_sandbox BOOLEAN NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((level = 'platform' AND reseller_id IS NULL)
        OR (level = 'reseller' AND reseller_id IS NOT NULL))
);
CREATE UNIQUE INDEX revenuecat_configs_platform_idx ON revenuecat_configs(level) WHERE level = 'platform';
CREATE UNIQUE INDEX revenuecat_configs_reseller_id_idx ON revenuecat_configs(reseller_id);
CREATE UNIQUE INDEX revenuecat_configs_authorization_idx ON revenuecat_configs(authorization_sha256);

-- Every webhook received, as it came (`payload`), with what it did (`outcome`). `owner_key`
-- is the reseller id or 'platform'; (owner_key, event_id) is unique, so a replayed event id
-- is recognised and changes nothing. Malformed bodies have no event id.
CREATE TABLE revenuecat_events (
    id TEXT PRIMARY KEY NOT NULL,
    owner_key TEXT NOT NULL,
    reseller_id TEXT REFERENCES resellers(id),
    event_id TEXT,
    event_type TEXT,
    app_user_id TEXT,
    tenant_ids TEXT NOT NULL DEFAULT '[]',
    event_timestamp_ms BIGINT,
    environment TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'stale', 'recorded', 'test', 'unmapped', 'unknown', 'malformed', 'sandbox')),
    detail TEXT NOT NULL,
    payload TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX revenuecat_events_event_id_idx ON revenuecat_events(owner_key, event_id);
CREATE INDEX revenuecat_events_owner_idx ON revenuecat_events(owner_key, id);

-- What RevenueCat last said about each tenant's subscription. `last_event_at_ms` is the
-- newest applied event's `event_timestamp_ms`: an older event arriving later is stale.
CREATE TABLE revenuecat_subscriptions (
    tenant_id TEXT PRIMARY KEY NOT NULL REFERENCES tenants(id),
    reseller_id TEXT REFERENCES resellers(id),
    app_user_id TEXT NOT NULL,
    product_id TEXT,
    entitlement_ids TEXT NOT NULL DEFAULT '[]',
    period_type TEXT,
    store TEXT,
    environment TEXT,
    original_transaction_id TEXT,
    expires_at TIMESTAMP,
    will_renew BOOLEAN,
    pending_product_id TEXT,
    auto_resume_at TIMESTAMP,
    last_event_id TEXT NOT NULL,
    last_event_type TEXT NOT NULL,
    last_event_at_ms BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
