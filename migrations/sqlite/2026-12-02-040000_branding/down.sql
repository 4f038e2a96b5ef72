DROP TABLE branding_assets;
DROP TABLE branding_configurations;
CREATE TABLE branding_configurations (
    id TEXT PRIMARY KEY NOT NULL,
    reseller_id TEXT NOT NULL REFERENCES resellers(id),
    name TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT 0,
    theme TEXT NOT NULL DEFAULT '{}',
    assets TEXT NOT NULL DEFAULT '{}',
    texts TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX branding_configurations_reseller_id_idx ON branding_configurations(reseller_id);
