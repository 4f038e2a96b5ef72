DROP POLICY users_isolation ON users;
CREATE POLICY users_isolation ON users
    USING (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)))
    WITH CHECK ((tenant_id IS NOT NULL AND vf_tenant_visible(tenant_id)
                 AND (reseller_id IS NULL OR vf_all_access()))
                OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)));
DROP TABLE invitations;
DROP INDEX refresh_tokens_user_tenant_idx;
ALTER TABLE refresh_tokens DROP COLUMN tenant_id;
DROP TABLE tenant_users;
