DROP TABLE node_preset_shares;
DROP TABLE node_presets;
