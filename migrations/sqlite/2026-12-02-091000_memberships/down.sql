DROP TABLE invitations;
DROP INDEX refresh_tokens_user_tenant_idx;
ALTER TABLE refresh_tokens DROP COLUMN tenant_id;
DROP TABLE tenant_users;
