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
