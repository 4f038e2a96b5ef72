-- Self-service sign-up per reseller (docs/email.md, "Sign-up"): off by default; when on, a
-- visitor creates a tenant of the reseller on `signup_plan_id` with a trial subscription.
ALTER TABLE resellers ADD COLUMN signup_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE resellers ADD COLUMN signup_plan_id TEXT;
