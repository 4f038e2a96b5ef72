-- Outbound hardening (issue 11, points 6 and 9).
-- Webhook endpoints remember who created them: a member may delete only their own, admins
-- any. Endpoints created before this migration have no creator (admins delete them).
-- Webhook signing secrets (endpoints, jobs' own, and the deliveries' copies) are sealed
-- like translation engine keys; the service seals the plaintext rows left from before when
-- it starts (SQL has no key to do it here), and opens either form until then.
ALTER TABLE webhook_endpoints ADD COLUMN created_by TEXT;
-- The sender picks due deliveries tenant by tenant.
CREATE INDEX webhook_deliveries_tenant_due_idx ON webhook_deliveries(tenant_id, status, next_attempt_at);

-- Row-level security, defence in depth.
-- Resellers: the tenant scope reads its own reseller and writes nothing (before, DELETE had
-- no WITH CHECK to stop it, and UPDATE reached the row).
DROP POLICY resellers_isolation ON resellers;
CREATE POLICY resellers_read ON resellers FOR SELECT
    USING (vf_all_access() OR (vf_scope() IN ('reseller', 'tenant') AND id = vf_setting('reseller_id')));
CREATE POLICY resellers_insert ON resellers FOR INSERT
    WITH CHECK (vf_all_access() OR (vf_scope() = 'reseller' AND id = vf_setting('reseller_id')));
CREATE POLICY resellers_update ON resellers FOR UPDATE
    USING (vf_all_access() OR (vf_scope() = 'reseller' AND id = vf_setting('reseller_id')))
    WITH CHECK (vf_all_access() OR (vf_scope() = 'reseller' AND id = vf_setting('reseller_id')));
CREATE POLICY resellers_delete ON resellers FOR DELETE
    USING (vf_all_access() OR (vf_scope() = 'reseller' AND id = vf_setting('reseller_id')));

-- Tenants: a tenant scope may write its own row only under its own reseller (it cannot move
-- itself to another reseller, or out from under one).
DROP POLICY tenants_isolation ON tenants;
CREATE POLICY tenants_isolation ON tenants
    USING (vf_all_access()
           OR (vf_scope() = 'reseller' AND reseller_id = vf_setting('reseller_id'))
           OR (vf_scope() = 'tenant' AND id = vf_setting('tenant_id')))
    WITH CHECK (vf_all_access()
           OR (vf_scope() = 'reseller' AND reseller_id = vf_setting('reseller_id'))
           OR (vf_scope() = 'tenant' AND id = vf_setting('tenant_id')
               AND reseller_id IS NOT DISTINCT FROM nullif(vf_setting('reseller_id'), '')));

-- Users: a tenant's users carry no reseller (only platform and system scope may write one
-- there); reseller staff (no tenant) belong to the writing reseller.
DROP POLICY users_isolation ON users;
CREATE POLICY users_isolation ON users
    USING (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)))
    WITH CHECK ((tenant_id IS NOT NULL AND vf_tenant_visible(tenant_id)
                 AND (reseller_id IS NULL OR vf_all_access()))
                OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)));

-- Plans: read only within a scope (no scope set: nothing, as everywhere else).
DROP POLICY plans_read ON subscription_plans;
CREATE POLICY plans_read ON subscription_plans FOR SELECT
    USING (vf_all_access()
           OR (vf_scope() IN ('reseller', 'tenant')
               AND (reseller_id IS NULL OR reseller_id = vf_setting('reseller_id'))));
