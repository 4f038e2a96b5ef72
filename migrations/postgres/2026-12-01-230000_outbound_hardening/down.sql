DROP POLICY plans_read ON subscription_plans;
CREATE POLICY plans_read ON subscription_plans FOR SELECT
    USING (vf_all_access() OR reseller_id IS NULL OR reseller_id = vf_setting('reseller_id'));

DROP POLICY users_isolation ON users;
CREATE POLICY users_isolation ON users
    USING (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)))
    WITH CHECK (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)));

DROP POLICY tenants_isolation ON tenants;
CREATE POLICY tenants_isolation ON tenants
    USING (vf_all_access()
           OR (vf_scope() = 'reseller' AND reseller_id = vf_setting('reseller_id'))
           OR (vf_scope() = 'tenant' AND id = vf_setting('tenant_id')))
    WITH CHECK (vf_all_access()
           OR (vf_scope() = 'reseller' AND reseller_id = vf_setting('reseller_id'))
           OR (vf_scope() = 'tenant' AND id = vf_setting('tenant_id')));

DROP POLICY resellers_delete ON resellers;
DROP POLICY resellers_update ON resellers;
DROP POLICY resellers_insert ON resellers;
DROP POLICY resellers_read ON resellers;
CREATE POLICY resellers_isolation ON resellers
    USING (vf_all_access() OR (vf_scope() IN ('reseller', 'tenant') AND id = vf_setting('reseller_id')))
    WITH CHECK (vf_all_access() OR (vf_scope() = 'reseller' AND id = vf_setting('reseller_id')));

DROP INDEX webhook_deliveries_tenant_due_idx;
ALTER TABLE webhook_endpoints DROP COLUMN created_by;
