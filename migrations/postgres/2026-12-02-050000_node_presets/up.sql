-- Node presets (issue 12, §2): named parameter sets for one node kind, owned by the platform
-- (reseller_id and tenant_id NULL), a reseller (reseller_id) or a tenant (tenant_id), and
-- offered the way templates are: platform presets to every tenant; a reseller's to all its
-- tenants (`share_mode` 'all') or to those listed in node_preset_shares ('selected'); a
-- tenant's to its own users. A graph node names one with `preset` (+ `params` overrides);
-- the merged params are checked against the kind's schema and pinned into the job.
CREATE TABLE node_presets (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT REFERENCES resellers(id),
    tenant_id TEXT REFERENCES tenants(id),
    -- The node kind the params are for, e.g. whisper.transcribe.
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    -- JSON object, valid against the kind's params schema when saved.
    params TEXT NOT NULL,
    share_mode TEXT NOT NULL DEFAULT 'all' CHECK (share_mode IN ('all', 'selected')),
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (reseller_id IS NULL OR tenant_id IS NULL)
);
CREATE INDEX node_presets_reseller_id_idx ON node_presets(reseller_id);
CREATE INDEX node_presets_tenant_id_idx ON node_presets(tenant_id);
CREATE INDEX node_presets_kind_idx ON node_presets(kind);

CREATE TABLE node_preset_shares (
    preset_id TEXT NOT NULL REFERENCES node_presets(id),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    reseller_id TEXT NOT NULL REFERENCES resellers(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (preset_id, tenant_id)
);
CREATE INDEX node_preset_shares_tenant_id_idx ON node_preset_shares(tenant_id);

-- Row-level security, as for templates. Owners manage their own presets: the platform every
-- preset, a reseller its reseller-level presets, a tenant its tenant-level ones. Reading is
-- wider: a reseller also reads platform presets (its templates may use them); a tenant reads
-- what is offered to it (platform presets, its reseller's shared with all its tenants or with
-- it by name) and its own. Everyone else sees nothing.
ALTER TABLE node_preset_shares ENABLE ROW LEVEL SECURITY;
ALTER TABLE node_preset_shares FORCE ROW LEVEL SECURITY;
CREATE POLICY node_preset_shares_owner ON node_preset_shares
    USING (vf_reseller_owns(reseller_id)) WITH CHECK (vf_reseller_owns(reseller_id));
CREATE POLICY node_preset_shares_tenant ON node_preset_shares FOR SELECT
    USING (vf_scope() = 'tenant' AND tenant_id = vf_setting('tenant_id'));

ALTER TABLE node_presets ENABLE ROW LEVEL SECURITY;
ALTER TABLE node_presets FORCE ROW LEVEL SECURITY;
CREATE POLICY node_presets_owner ON node_presets
    USING (vf_all_access()
           OR (reseller_id IS NOT NULL AND vf_reseller_owns(reseller_id))
           OR (vf_scope() = 'tenant' AND tenant_id = vf_setting('tenant_id')))
    WITH CHECK (vf_all_access()
           OR (reseller_id IS NOT NULL AND vf_reseller_owns(reseller_id))
           OR (vf_scope() = 'tenant' AND tenant_id = vf_setting('tenant_id')));
CREATE POLICY node_presets_offered ON node_presets FOR SELECT
    USING ((vf_scope() IN ('reseller', 'tenant') AND reseller_id IS NULL AND tenant_id IS NULL)
           OR (vf_scope() = 'tenant'
               AND reseller_id = vf_setting('reseller_id')
               AND (share_mode = 'all'
                    OR EXISTS (SELECT 1 FROM node_preset_shares s
                               WHERE s.preset_id = node_presets.id
                                 AND s.tenant_id = vf_setting('tenant_id')))));
