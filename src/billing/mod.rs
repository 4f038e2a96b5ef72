//! What tenants consume and what they owe. [`usage`]: usage reports (per tenant, per
//! reseller, platform-wide), aggregated by the database from `usage_records`, with the
//! quota admission counts. [`revenuecat`]: RevenueCat webhooks driving tenants' subscriptions.

pub mod close;
pub mod document;
pub mod invoicing;
pub mod money;
pub mod revenuecat;
pub mod usage;
