DROP TRIGGER resellers_branding_notify ON resellers;
DROP TRIGGER tenants_branding_notify ON tenants;
DROP TRIGGER branding_assets_notify ON branding_assets;
DROP TRIGGER branding_configurations_notify ON branding_configurations;
DROP FUNCTION vf_notify_branding();
-- The assets' policy reads branding_configurations: drop it first.
DROP POLICY branding_assets_owner ON branding_assets;
DROP TABLE branding_assets;
ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_branding_configuration_id_fkey;
DROP TABLE branding_configurations;
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
ALTER TABLE tenants ADD CONSTRAINT tenants_branding_configuration_id_fkey
    FOREIGN KEY (branding_configuration_id) REFERENCES branding_configurations(id);
CREATE INDEX branding_configurations_reseller_id_idx ON branding_configurations(reseller_id);
ALTER TABLE branding_configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE branding_configurations FORCE ROW LEVEL SECURITY;
CREATE POLICY branding_read ON branding_configurations FOR SELECT
    USING (vf_all_access() OR reseller_id = vf_setting('reseller_id'));
CREATE POLICY branding_write ON branding_configurations FOR ALL
    USING (vf_reseller_owns(reseller_id)) WITH CHECK (vf_reseller_owns(reseller_id));
