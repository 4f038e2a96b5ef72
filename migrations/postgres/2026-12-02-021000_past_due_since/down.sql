ALTER TABLE tenants DROP COLUMN past_due_since;
