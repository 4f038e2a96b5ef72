-- The job engine: jobs carry their graph snapshot, inputs, retry policy and lease;
-- per-node states, an append-only event log with a per-job sequence, and node outputs
-- stored as artifacts (so a retried or reclaimed job resumes after its last finished node).
-- `jobs.status` is one of: queued, running, retrying, succeeded, failed, cancelled.
ALTER TABLE jobs ADD COLUMN workflow_version INTEGER;
ALTER TABLE jobs ADD COLUMN graph TEXT NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN inputs TEXT NOT NULL DEFAULT '{}';
ALTER TABLE jobs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN max_attempts INTEGER NOT NULL DEFAULT 3;
ALTER TABLE jobs ADD COLUMN run_after TIMESTAMP;
ALTER TABLE jobs ADD COLUMN lease_expires_at TIMESTAMP;
ALTER TABLE jobs ADD COLUMN locked_by TEXT;
ALTER TABLE jobs ADD COLUMN progress DOUBLE PRECISION NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN started_at TIMESTAMP;
ALTER TABLE jobs ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE jobs ADD COLUMN webhook_url TEXT;
CREATE INDEX jobs_claim_idx ON jobs(status, run_after);

CREATE TABLE job_nodes (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    node_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    progress DOUBLE PRECISION NOT NULL DEFAULT 0,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    error TEXT,
    PRIMARY KEY (job_id, node_id)
);

CREATE TABLE job_events (
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    event_type TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_events_tenant_id_idx ON job_events(tenant_id);

CREATE TABLE job_artifacts (
    id TEXT PRIMARY KEY NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    node_id TEXT NOT NULL,
    port TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX job_artifacts_node_port_idx ON job_artifacts(job_id, node_id, port);
CREATE UNIQUE INDEX job_artifacts_name_idx ON job_artifacts(job_id, name);
