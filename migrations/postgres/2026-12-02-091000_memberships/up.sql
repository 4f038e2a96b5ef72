-- Memberships (issue 13, §4): a user may belong to several tenants with a role in each.
-- `tenant_users` is what authorization reads for tenant users; `users.tenant_id` / `users.role`
-- stay as the account's home tenant and the role it was created with there (see
-- docs/data-model.md). Platform and reseller admins have no memberships.
CREATE TABLE tenant_users (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL CHECK (role IN ('tenant_admin', 'member', 'viewer')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- When the user last signed in to or switched to this tenant: login's default tenant.
    last_used_at TIMESTAMP
);
CREATE UNIQUE INDEX tenant_users_tenant_user_idx ON tenant_users(tenant_id, user_id);
CREATE INDEX tenant_users_user_id_idx ON tenant_users(user_id);

-- The backfills run under the system scope: users and refresh_tokens have row-level security
-- forced on, even for their owner.
SELECT set_config('voxflow.scope', 'system', true);

-- Every live tenant user's single tenant becomes its first membership (same id as the user).
INSERT INTO tenant_users (id, tenant_id, user_id, role, created_at, updated_at, last_used_at)
SELECT id, tenant_id, id, role, created_at, updated_at, last_login
FROM users
WHERE tenant_id IS NOT NULL AND status <> 'deleted' AND role IN ('tenant_admin', 'member', 'viewer');

-- Refresh tokens are per membership: a token of tenant A never yields a tenant B access token.
ALTER TABLE refresh_tokens ADD COLUMN tenant_id TEXT REFERENCES tenants(id);
UPDATE refresh_tokens SET tenant_id = (SELECT u.tenant_id FROM users u WHERE u.id = refresh_tokens.user_id);
CREATE INDEX refresh_tokens_user_tenant_idx ON refresh_tokens(user_id, tenant_id);

-- Invitations: single use, expiring; only the SHA-256 of the token is stored.
CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('tenant_admin', 'member', 'viewer')),
    token_hash TEXT NOT NULL,
    invited_by TEXT REFERENCES users(id),
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    accepted_by TEXT REFERENCES users(id),
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX invitations_token_hash_idx ON invitations(token_hash);
CREATE INDEX invitations_tenant_id_idx ON invitations(tenant_id);

-- Row-level security. Memberships and invitations belong to their tenant: the tenant's own
-- scope, its reseller's, the platform's and the system's (login, switching, accepting).
ALTER TABLE tenant_users ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_users FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_users_isolation ON tenant_users
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_isolation ON invitations
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

-- A user is visible where it has a membership (a tenant sees its members, whatever their home
-- tenant), reseller staff as before. Writes keep the rule of 2026-12-01-230000: a tenant's users
-- carry no reseller (only platform and system scope may write one). A new account may be written
-- for a home tenant the scope sees (it is inserted before its first membership can reference it).
DROP POLICY users_isolation ON users;
CREATE POLICY users_isolation ON users
    USING (vf_all_access()
           OR EXISTS (SELECT 1 FROM tenant_users m WHERE m.user_id = users.id AND vf_tenant_visible(m.tenant_id))
           OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)))
    WITH CHECK (((reseller_id IS NULL OR vf_all_access())
                 AND ((tenant_id IS NOT NULL AND vf_tenant_visible(tenant_id))
                      OR EXISTS (SELECT 1 FROM tenant_users m
                                 WHERE m.user_id = users.id AND vf_tenant_visible(m.tenant_id))))
                OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)));
