-- Processing-quota reservations (issue 12, §1): admission reserves a job's (or an OpenAI
-- request's) audio seconds against the tenant's month inside the write transaction that
-- accepts it, so parallel submissions cannot together pass a quota one of them would use
-- up. A job's row is settled (held_milli = 0, its measured audio billed as `job_audio`
-- usage) when the job ends, whatever way it ends; a transcription's row is deleted when
-- the request ends. `expires_at` is a transcription's lease, renewed while it runs: a
-- crashed process's reservation (and its concurrency slot) lapses with it. Jobs' rows have
-- no lease (NULL): the job's own state decides.
CREATE TABLE quota_reservations (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    job_id TEXT UNIQUE REFERENCES jobs(id) ON DELETE CASCADE,
    -- `job` or `transcription`
    kind TEXT NOT NULL,
    -- The audio the work's inputs hold (thousandths of a second), as probed at admission.
    amount_milli BIGINT NOT NULL,
    -- What counts against the quota now: the amount while the work is active, 0 once settled.
    held_milli BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    settled_at TIMESTAMP
);
CREATE INDEX quota_reservations_tenant_held_idx ON quota_reservations(tenant_id, held_milli);

ALTER TABLE quota_reservations ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota_reservations FORCE ROW LEVEL SECURITY;
CREATE POLICY quota_reservations_isolation ON quota_reservations
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));
