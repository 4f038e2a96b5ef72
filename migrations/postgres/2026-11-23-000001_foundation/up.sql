-- Voxflow foundation schema (PostgreSQL). Kept column-for-column in step with migrations/sqlite.
-- Ids are UUID strings, timestamps UTC, money in integer minor units (cents, basis points).

CREATE TABLE resellers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    commission_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (commission_rate_bp BETWEEN 0 AND 10000),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE subscription_plans (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT REFERENCES resellers(id),
    name TEXT NOT NULL,
    description TEXT,
    currency TEXT NOT NULL DEFAULT 'USD',
    price_monthly_cents BIGINT NOT NULL DEFAULT 0 CHECK (price_monthly_cents >= 0),
    price_yearly_cents BIGINT NOT NULL DEFAULT 0 CHECK (price_yearly_cents >= 0),
    storage_quota_mb INTEGER NOT NULL,
    processing_quota_minutes INTEGER NOT NULL,
    max_users INTEGER NOT NULL,
    max_concurrent_jobs INTEGER NOT NULL DEFAULT 2,
    features TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE branding_configurations (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT NOT NULL REFERENCES resellers(id),
    name TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    theme TEXT NOT NULL DEFAULT '{}',
    assets TEXT NOT NULL DEFAULT '{}',
    texts TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE tenants (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT REFERENCES resellers(id),
    name TEXT NOT NULL,
    domain TEXT,
    subscription_plan_id TEXT REFERENCES subscription_plans(id),
    subscription_id TEXT,
    subscription_status TEXT NOT NULL DEFAULT 'active',
    branding_configuration_id TEXT REFERENCES branding_configurations(id),
    storage_quota_mb INTEGER,
    processing_quota_minutes INTEGER,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT REFERENCES tenants(id),
    reseller_id TEXT REFERENCES resellers(id),
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('platform_admin', 'reseller_admin', 'tenant_admin', 'member', 'viewer')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
    last_login TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE workflows (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    description TEXT,
    config TEXT NOT NULL DEFAULT '{}',
    is_template BOOLEAN NOT NULL DEFAULT FALSE,
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT REFERENCES users(id),
    workflow_id TEXT REFERENCES workflows(id),
    status TEXT NOT NULL DEFAULT 'queued',
    file_path TEXT,
    result_path TEXT,
    error TEXT,
    processing_time INTEGER,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    completed_at TIMESTAMP
);

CREATE TABLE usage_records (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT REFERENCES users(id),
    job_id TEXT REFERENCES jobs(id),
    resource_type TEXT NOT NULL,
    amount_milli BIGINT NOT NULL,
    unit TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    key_prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]',
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY NOT NULL,
    actor_user_id TEXT,
    actor_api_key_id TEXT,
    tenant_id TEXT,
    reseller_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    request_id TEXT,
    ip TEXT,
    details TEXT NOT NULL DEFAULT '{}',
    at TIMESTAMP NOT NULL
);

CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

-- The 13 indexes of the data model (users_email_idx is unique: one account per email).
CREATE INDEX tenants_reseller_id_idx ON tenants(reseller_id);
CREATE INDEX users_tenant_id_idx ON users(tenant_id);
CREATE UNIQUE INDEX users_email_idx ON users(email);
CREATE INDEX workflows_tenant_id_idx ON workflows(tenant_id);
CREATE INDEX workflows_user_id_idx ON workflows(user_id);
CREATE INDEX jobs_tenant_id_idx ON jobs(tenant_id);
CREATE INDEX jobs_user_id_idx ON jobs(user_id);
CREATE INDEX jobs_workflow_id_idx ON jobs(workflow_id);
CREATE INDEX jobs_status_idx ON jobs(status);
CREATE INDEX branding_configurations_reseller_id_idx ON branding_configurations(reseller_id);
CREATE INDEX subscription_plans_reseller_id_idx ON subscription_plans(reseller_id);
CREATE INDEX usage_records_tenant_id_idx ON usage_records(tenant_id);
CREATE INDEX api_keys_tenant_id_idx ON api_keys(tenant_id);
-- Lookups the service makes on every request or login.
CREATE UNIQUE INDEX api_keys_key_hash_idx ON api_keys(key_hash);
CREATE UNIQUE INDEX refresh_tokens_token_hash_idx ON refresh_tokens(token_hash);
CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens(family_id);
CREATE INDEX audit_log_tenant_id_idx ON audit_log(tenant_id);
CREATE INDEX users_reseller_id_idx ON users(reseller_id);

-- Row-level security. The service sets, per transaction, `voxflow.scope` (system, platform,
-- reseller or tenant), `voxflow.reseller_id`, `voxflow.tenant_id` and `voxflow.user_id` with
-- set_config(..., true). With no scope set, no row is visible. FORCE makes the policies apply to
-- the table owner too, so the service's own role cannot bypass them (it must not be a superuser
-- nor have BYPASSRLS; the service warns at start when it has).
CREATE FUNCTION vf_scope() RETURNS text LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('voxflow.scope', true), '') $$;
CREATE FUNCTION vf_setting(name text) RETURNS text LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('voxflow.' || name, true), '') $$;
CREATE FUNCTION vf_all_access() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT vf_scope() IN ('system', 'platform') $$;
-- May the current scope see rows of tenant `tid`?
CREATE FUNCTION vf_tenant_visible(tid text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT vf_all_access()
       OR (vf_scope() = 'tenant' AND tid = vf_setting('tenant_id'))
       OR (vf_scope() = 'reseller' AND tid IN (SELECT t.id FROM tenants t WHERE t.reseller_id = vf_setting('reseller_id'))) $$;
-- May the current scope manage rows owned by reseller `rid`?
CREATE FUNCTION vf_reseller_owns(rid text) RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT vf_all_access() OR (vf_scope() = 'reseller' AND rid = vf_setting('reseller_id')) $$;

ALTER TABLE resellers ENABLE ROW LEVEL SECURITY;
ALTER TABLE resellers FORCE ROW LEVEL SECURITY;
CREATE POLICY resellers_isolation ON resellers
    USING (vf_all_access() OR (vf_scope() IN ('reseller', 'tenant') AND id = vf_setting('reseller_id')))
    WITH CHECK (vf_all_access() OR (vf_scope() = 'reseller' AND id = vf_setting('reseller_id')));

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenants_isolation ON tenants
    USING (vf_all_access()
           OR (vf_scope() = 'reseller' AND reseller_id = vf_setting('reseller_id'))
           OR (vf_scope() = 'tenant' AND id = vf_setting('tenant_id')))
    WITH CHECK (vf_all_access()
           OR (vf_scope() = 'reseller' AND reseller_id = vf_setting('reseller_id'))
           OR (vf_scope() = 'tenant' AND id = vf_setting('tenant_id')));

ALTER TABLE subscription_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription_plans FORCE ROW LEVEL SECURITY;
-- Everyone under a reseller reads the system plans and that reseller's plans; only owners write.
CREATE POLICY plans_read ON subscription_plans FOR SELECT
    USING (vf_all_access() OR reseller_id IS NULL OR reseller_id = vf_setting('reseller_id'));
CREATE POLICY plans_write ON subscription_plans FOR ALL
    USING (vf_reseller_owns(reseller_id)) WITH CHECK (vf_reseller_owns(reseller_id));

ALTER TABLE branding_configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE branding_configurations FORCE ROW LEVEL SECURITY;
CREATE POLICY branding_read ON branding_configurations FOR SELECT
    USING (vf_all_access() OR reseller_id = vf_setting('reseller_id'));
CREATE POLICY branding_write ON branding_configurations FOR ALL
    USING (vf_reseller_owns(reseller_id)) WITH CHECK (vf_reseller_owns(reseller_id));

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_isolation ON users
    USING (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)))
    WITH CHECK (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)));

ALTER TABLE workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflows FORCE ROW LEVEL SECURITY;
CREATE POLICY workflows_isolation ON workflows
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY jobs_isolation ON jobs
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

ALTER TABLE usage_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_records FORCE ROW LEVEL SECURITY;
CREATE POLICY usage_records_isolation ON usage_records
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY api_keys_isolation ON api_keys
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_isolation ON audit_log
    USING (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)))
    WITH CHECK (vf_tenant_visible(tenant_id) OR (tenant_id IS NULL AND vf_reseller_owns(reseller_id)));

-- Refresh tokens: the auth flow (system scope), or whoever may see the token's user
-- (an admin deleting a user revokes that user's sessions).
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_isolation ON refresh_tokens
    USING (vf_all_access() OR user_id IN (SELECT id FROM users))
    WITH CHECK (vf_all_access() OR user_id IN (SELECT id FROM users));
