-- Workflow templates (issue 12, §2): graphs authored by the platform (reseller_id NULL) or a
-- reseller and offered to tenants. Every save appends an immutable row to
-- workflow_template_versions; a version is offered once published (`published_at`), and the
-- template's `published_version` is the newest published one. States: draft (never
-- published) → published → deprecated (no new instances or runs; instances keep working,
-- they are copies). A reseller template is offered to all the reseller's tenants
-- (`share_mode` 'all') or to those listed in workflow_template_shares ('selected');
-- platform templates to every tenant.
CREATE TABLE workflow_templates (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT REFERENCES resellers(id),
    name TEXT NOT NULL,
    description TEXT,
    category TEXT,
    -- JSON array of lowercase tags
    tags TEXT NOT NULL DEFAULT '[]',
    preview_image_url TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'deprecated')),
    share_mode TEXT NOT NULL DEFAULT 'all' CHECK (share_mode IN ('all', 'selected')),
    current_version INTEGER NOT NULL,
    published_version INTEGER,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX workflow_templates_reseller_id_idx ON workflow_templates(reseller_id);

CREATE TABLE workflow_template_versions (
    id TEXT PRIMARY KEY NOT NULL,
    template_id TEXT NOT NULL REFERENCES workflow_templates(id),
    -- The template's owner, copied for the row-level security policies.
    reseller_id TEXT REFERENCES resellers(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    -- The graph, in normal form (JSON).
    config TEXT NOT NULL,
    -- JSON object: input node id → what to give it.
    inputs_doc TEXT NOT NULL DEFAULT '{}',
    published_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX workflow_template_versions_template_version_idx
    ON workflow_template_versions(template_id, version);

CREATE TABLE workflow_template_shares (
    template_id TEXT NOT NULL REFERENCES workflow_templates(id),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    reseller_id TEXT NOT NULL REFERENCES resellers(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (template_id, tenant_id)
);
CREATE INDEX workflow_template_shares_tenant_id_idx ON workflow_template_shares(tenant_id);

-- An instance: a tenant workflow copied from a template version (no foreign key, so SQLite
-- can drop the column again; the template is never deleted).
ALTER TABLE workflows ADD COLUMN template_id TEXT;
ALTER TABLE workflows ADD COLUMN template_version INTEGER;
