-- Outbound hardening (issue 11, points 6 and 9).
-- Webhook endpoints remember who created them: a member may delete only their own, admins
-- any. Endpoints created before this migration have no creator (admins delete them).
-- Webhook signing secrets (endpoints, jobs' own, and the deliveries' copies) are sealed
-- like translation engine keys; the service seals the plaintext rows left from before when
-- it starts (SQL has no key to do it here), and opens either form until then.
ALTER TABLE webhook_endpoints ADD COLUMN created_by TEXT;
-- The sender picks due deliveries tenant by tenant.
CREATE INDEX webhook_deliveries_tenant_due_idx ON webhook_deliveries(tenant_id, status, next_attempt_at);
