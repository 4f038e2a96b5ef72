-- Email (docs/email.md): an outbox written in the same transaction as what a mail is about,
-- delivered over SMTP by a background task with retries; single-use, expiring tokens (only
-- their SHA-256 is kept) for password resets and email verification.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMP;

CREATE TABLE one_time_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id, purpose);

CREATE TABLE email_outbox (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT,
    reseller_id TEXT,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    from_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX email_outbox_due_idx ON email_outbox (status, next_attempt_at);

-- Only the service itself (the auth flows and the sender run under the system scope) and
-- platform admins see tokens and mails; any scope may queue a mail (a tenant admin's
-- invitation is written under the tenant's scope).
ALTER TABLE one_time_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE one_time_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY one_time_tokens_system ON one_time_tokens
    USING (vf_scope() = 'system') WITH CHECK (vf_scope() = 'system');
ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY email_outbox_service ON email_outbox
    USING (vf_all_access()) WITH CHECK (vf_all_access());
CREATE POLICY email_outbox_enqueue ON email_outbox FOR INSERT
    WITH CHECK (vf_scope() IN ('system', 'platform', 'reseller', 'tenant'));
