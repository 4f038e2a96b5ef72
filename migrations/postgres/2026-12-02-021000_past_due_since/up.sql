-- When the tenant's subscription became `past_due` (null otherwise): a past-due tenant may
-- start new work for VOXFLOW_PAST_DUE_GRACE_DAYS from then. Tenants already past due are
-- counted from their last update, the closest record there is.
ALTER TABLE tenants ADD COLUMN past_due_since TIMESTAMP;
UPDATE tenants SET past_due_since = updated_at WHERE subscription_status = 'past_due';
