-- A counter that every change to what authenticates a request bumps (src/auth/cache.rs):
-- an account's status, role or session epoch, a membership, a tenant's or reseller's
-- standing or plan, a plan's limits, an API key. Each process keeps authenticated
-- credentials for a few seconds and forgets them all when the counter moves — at once in
-- the process that made the change (it reads the counter after each write), within the
-- listener's poll in the others (NOTIFY voxflow_auth).
CREATE TABLE auth_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO auth_changes (id, n) VALUES (1, 0);

CREATE FUNCTION voxflow_auth_changed() RETURNS trigger AS $$
BEGIN
    UPDATE auth_changes SET n = n + 1 WHERE id = 1;
    PERFORM pg_notify('voxflow_auth', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_auth_changed
    AFTER UPDATE OF status, role, session_epoch, tenant_id, reseller_id OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION voxflow_auth_changed();
CREATE TRIGGER tenant_users_auth_changed
    AFTER UPDATE OF role, tenant_id, user_id, created_at OR DELETE ON tenant_users
    FOR EACH STATEMENT EXECUTE FUNCTION voxflow_auth_changed();
CREATE TRIGGER tenants_auth_changed
    AFTER UPDATE OF status, reseller_id, subscription_plan_id OR DELETE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION voxflow_auth_changed();
CREATE TRIGGER resellers_auth_changed
    AFTER UPDATE OF status OR DELETE ON resellers
    FOR EACH STATEMENT EXECUTE FUNCTION voxflow_auth_changed();
CREATE TRIGGER api_keys_auth_changed
    AFTER UPDATE OF revoked_at, expires_at, permissions, user_id, tenant_id, key_hash OR DELETE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION voxflow_auth_changed();
CREATE TRIGGER subscription_plans_auth_changed
    AFTER UPDATE OR DELETE ON subscription_plans
    FOR EACH STATEMENT EXECUTE FUNCTION voxflow_auth_changed();
