-- Branding with inheritance (issue 12, §3). The foundation's branding_configurations (one
-- reseller-owned row with free-form theme/assets/texts JSON) was never read nor written by
-- any code; it is rebuilt here with one row per owner: the platform default (level
-- 'platform'), a reseller ('reseller', reseller_id) or a tenant ('tenant', tenant_id). Every
-- field is nullable: NULL inherits from the next level up (tenant → reseller → platform →
-- built-in default). `custom_domain` and `subdomain` route the public host lookup and are
-- unique across all configurations. tenants.branding_configuration_id (from the seed) keeps
-- its foreign key and is not used: a tenant's configuration is the one with its tenant_id.
ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_branding_configuration_id_fkey;
DROP TABLE branding_configurations;
CREATE TABLE branding_configurations (
    id TEXT PRIMARY KEY NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('platform', 'reseller', 'tenant')),
    reseller_id TEXT REFERENCES resellers(id),
    tenant_id TEXT REFERENCES tenants(id),
    product_name TEXT,
    -- The current asset of each kind (branding_assets.id); it may have been deleted since.
    logo_asset_id TEXT,
    favicon_asset_id TEXT,
    -- JSON object: primary, secondary, accent, background, text → '#rrggbb'.
    colors TEXT NOT NULL DEFAULT '{}',
    support_email TEXT,
    support_url TEXT,
    email_sender_name TEXT,
    powered_by BOOLEAN,
    custom_domain TEXT,
    subdomain TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((level = 'platform' AND reseller_id IS NULL AND tenant_id IS NULL)
        OR (level = 'reseller' AND reseller_id IS NOT NULL AND tenant_id IS NULL)
        OR (level = 'tenant' AND reseller_id IS NULL AND tenant_id IS NOT NULL))
);
ALTER TABLE tenants ADD CONSTRAINT tenants_branding_configuration_id_fkey
    FOREIGN KEY (branding_configuration_id) REFERENCES branding_configurations(id);
CREATE UNIQUE INDEX branding_configurations_platform_idx ON branding_configurations(level) WHERE level = 'platform';
CREATE UNIQUE INDEX branding_configurations_reseller_id_idx ON branding_configurations(reseller_id);
CREATE UNIQUE INDEX branding_configurations_tenant_id_idx ON branding_configurations(tenant_id);
CREATE UNIQUE INDEX branding_configurations_custom_domain_idx ON branding_configurations(custom_domain);
CREATE UNIQUE INDEX branding_configurations_subdomain_idx ON branding_configurations(subdomain);

-- Logos and favicons: PNG, JPEG or WebP, at most 1 MiB, kept in the database so every API
-- process serves them. A deleted asset keeps its row (data NULL, deleted_at set): the
-- configuration still names it, and resolution falls back with a warning.
CREATE TABLE branding_assets (
    id TEXT PRIMARY KEY NOT NULL,
    configuration_id TEXT NOT NULL REFERENCES branding_configurations(id),
    kind TEXT NOT NULL CHECK (kind IN ('logo', 'favicon')),
    content_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX branding_assets_configuration_id_idx ON branding_assets(configuration_id);
CREATE INDEX branding_assets_sha256_idx ON branding_assets(sha256);

-- Row-level security. The platform manages every configuration; a reseller its own and its
-- tenants'; a tenant its own (the plan's `tenant_branding` gate is the service's). Resolution
-- and the public lookups read in the system scope: they expose nothing but branding.
ALTER TABLE branding_configurations ENABLE ROW LEVEL SECURITY;
ALTER TABLE branding_configurations FORCE ROW LEVEL SECURITY;
CREATE POLICY branding_configurations_owner ON branding_configurations
    USING (vf_all_access()
           OR (level = 'reseller' AND vf_reseller_owns(reseller_id))
           OR (level = 'tenant' AND vf_scope() IN ('reseller', 'tenant') AND vf_tenant_visible(tenant_id)))
    WITH CHECK (vf_all_access()
           OR (level = 'reseller' AND vf_reseller_owns(reseller_id))
           OR (level = 'tenant' AND vf_scope() IN ('reseller', 'tenant') AND vf_tenant_visible(tenant_id)));

-- An asset is visible and writable where its configuration is (that table's policy applies
-- inside the subquery).
ALTER TABLE branding_assets ENABLE ROW LEVEL SECURITY;
ALTER TABLE branding_assets FORCE ROW LEVEL SECURITY;
CREATE POLICY branding_assets_owner ON branding_assets
    USING (EXISTS (SELECT 1 FROM branding_configurations c WHERE c.id = branding_assets.configuration_id))
    WITH CHECK (EXISTS (SELECT 1 FROM branding_configurations c WHERE c.id = branding_assets.configuration_id));

-- Every API process caches resolved branding; any change is announced on channel
-- `voxflow_branding` (once per transaction: identical notifications are folded) so the
-- others drop their caches. A tenant (or reseller) deleted or moved changes what its domain
-- resolves to.
CREATE FUNCTION vf_notify_branding() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('voxflow_branding', 'changed');
    RETURN NULL;
END $$;
CREATE TRIGGER branding_configurations_notify AFTER INSERT OR UPDATE OR DELETE ON branding_configurations
    FOR EACH STATEMENT EXECUTE FUNCTION vf_notify_branding();
CREATE TRIGGER branding_assets_notify AFTER INSERT OR UPDATE OR DELETE ON branding_assets
    FOR EACH STATEMENT EXECUTE FUNCTION vf_notify_branding();
CREATE TRIGGER tenants_branding_notify AFTER UPDATE OF status, reseller_id OR DELETE ON tenants
    FOR EACH STATEMENT EXECUTE FUNCTION vf_notify_branding();
CREATE TRIGGER resellers_branding_notify AFTER UPDATE OF status OR DELETE ON resellers
    FOR EACH STATEMENT EXECUTE FUNCTION vf_notify_branding();
