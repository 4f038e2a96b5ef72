-- Keys moved into the store cannot be moved back in SQL (they are sealed for their credential
-- row): engines that used a credential need their key entered again after this.
DROP INDEX translation_engines_credential_idx;
ALTER TABLE translation_engines DROP COLUMN credential_id;
DROP TABLE workspace_credentials;
