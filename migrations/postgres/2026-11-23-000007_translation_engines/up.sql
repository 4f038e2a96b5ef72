-- Translation engines a tenant configures for the translate.text node (LibreTranslate,
-- DeepL). The API key is stored sealed (ChaCha20-Poly1305 under a key derived from the
-- server's secrets key, bound to the row's tenant and id); only its last characters are
-- kept in clear, as a hint.
CREATE TABLE translation_engines (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('libretranslate', 'deepl')),
    base_url TEXT NOT NULL,
    api_key_sealed TEXT,
    api_key_hint TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX translation_engines_tenant_name_idx ON translation_engines(tenant_id, name);

ALTER TABLE translation_engines ENABLE ROW LEVEL SECURITY;
ALTER TABLE translation_engines FORCE ROW LEVEL SECURITY;
CREATE POLICY translation_engines_isolation ON translation_engines
    USING (vf_tenant_visible(tenant_id)) WITH CHECK (vf_tenant_visible(tenant_id));
