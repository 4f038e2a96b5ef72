-- See the PostgreSQL migration: a counter every change to what authenticates a request
-- bumps; each process forgets its cached credentials when it moves (src/auth/cache.rs).
CREATE TABLE auth_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO auth_changes (id, n) VALUES (1, 0);
CREATE TRIGGER users_auth_changed_update AFTER UPDATE OF status, role, session_epoch, tenant_id, reseller_id ON users
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER users_auth_changed_delete AFTER DELETE ON users
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tenant_users_auth_changed_update AFTER UPDATE OF role, tenant_id, user_id, created_at ON tenant_users
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tenant_users_auth_changed_delete AFTER DELETE ON tenant_users
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tenants_auth_changed_update AFTER UPDATE OF status, reseller_id, subscription_plan_id ON tenants
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER tenants_auth_changed_delete AFTER DELETE ON tenants
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER resellers_auth_changed_update AFTER UPDATE OF status ON resellers
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER resellers_auth_changed_delete AFTER DELETE ON resellers
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER api_keys_auth_changed_update AFTER UPDATE OF revoked_at, expires_at, permissions, user_id, tenant_id, key_hash ON api_keys
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER api_keys_auth_changed_delete AFTER DELETE ON api_keys
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_plans_auth_changed_update AFTER UPDATE ON subscription_plans
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER subscription_plans_auth_changed_delete AFTER DELETE ON subscription_plans
BEGIN UPDATE auth_changes SET n = n + 1 WHERE id = 1; END;
