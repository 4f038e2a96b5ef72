ALTER TABLE resellers DROP COLUMN signup_plan_id;
ALTER TABLE resellers DROP COLUMN signup_enabled;
