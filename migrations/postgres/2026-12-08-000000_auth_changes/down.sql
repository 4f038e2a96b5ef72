DROP TRIGGER subscription_plans_auth_changed ON subscription_plans;
DROP TRIGGER api_keys_auth_changed ON api_keys;
DROP TRIGGER resellers_auth_changed ON resellers;
DROP TRIGGER tenants_auth_changed ON tenants;
DROP TRIGGER tenant_users_auth_changed ON tenant_users;
DROP TRIGGER users_auth_changed ON users;
DROP FUNCTION voxflow_auth_changed();
DROP TABLE auth_changes;
