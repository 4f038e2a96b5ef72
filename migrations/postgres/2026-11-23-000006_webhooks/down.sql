DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
ALTER TABLE jobs DROP COLUMN webhook_secret;
