-- Workspace credentials (issue 13 §6, seed 003): a tenant's third-party secrets (DeepL and
-- LibreTranslate API keys today) in one sealed store, docs/credentials.md. The value is sealed
-- (ChaCha20-Poly1305, src/auth/sealing.rs) bound to `workspace_credential:<tenant>:<id>`;
-- only a hint (its last characters) is kept in clear. `origin` is the scheme://host[:port] the
-- secret may be sent to: set by the first engine that uses it, changed only with a new value.
CREATE TABLE workspace_credentials (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    provider TEXT NOT NULL CHECK (provider IN ('deepl', 'libretranslate', 'generic')),
    value_sealed TEXT NOT NULL,
    hint TEXT,
    origin TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    rotated_at TIMESTAMP NOT NULL
);
CREATE INDEX workspace_credentials_tenant_idx ON workspace_credentials(tenant_id, id);

-- Engines reference a credential instead of holding their key. The keys already stored in
-- `api_key_sealed` are bound to their engine row (the AEAD's associated data), so SQL cannot
-- move them: every process moves them at startup (credentials::adopt_engine_keys), then
-- clears the old columns. A key no configured secrets key opens stays where it is.
ALTER TABLE translation_engines ADD COLUMN credential_id TEXT REFERENCES workspace_credentials(id);
CREATE INDEX translation_engines_credential_idx ON translation_engines(credential_id);
