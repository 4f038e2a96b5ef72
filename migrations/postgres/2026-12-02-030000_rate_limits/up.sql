-- Request rate limits (issue 12, §5): one GCRA bucket per tenant (`t:<tenant id>`) and per
-- API key (`k:<key id>`), holding its theoretical arrival time in microseconds of the
-- database's clock. Every `voxflow serve` process updates it with one atomic
-- `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING` per check, so the limits hold across
-- processes. A row whose time is in the past is a full bucket: idle rows are deleted.
-- UNLOGGED: losing the table in a crash only refills every bucket.
CREATE UNLOGGED TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    tat_us BIGINT NOT NULL
);

ALTER TABLE rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limits FORCE ROW LEVEL SECURITY;
CREATE POLICY rate_limits_isolation ON rate_limits
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));
