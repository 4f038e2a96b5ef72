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
