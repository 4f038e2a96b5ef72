-- The policy's subquery depends on the shares table: drop it first.
DROP POLICY node_presets_offered ON node_presets;
DROP TABLE node_preset_shares;
DROP TABLE node_presets;
