-- Workflows keep every version: an update writes a new immutable row here, and jobs pin
-- the version they ran. `workflows` holds the current state.
ALTER TABLE workflows ADD COLUMN current_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE workflows ADD COLUMN deleted_at TIMESTAMP;

CREATE TABLE workflow_versions (
    id TEXT PRIMARY KEY NOT NULL,
    workflow_id TEXT NOT NULL REFERENCES workflows(id),
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    config TEXT NOT NULL,
    created_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX workflow_versions_workflow_version_idx ON workflow_versions(workflow_id, version);
CREATE INDEX workflow_versions_tenant_id_idx ON workflow_versions(tenant_id);

ALTER TABLE workflow_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE workflow_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY workflow_versions_isolation ON workflow_versions
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));
