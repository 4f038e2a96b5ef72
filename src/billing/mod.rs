//! What tenants consume and what they owe. [`usage`]: usage reports (per tenant, per
//! reseller, platform-wide), aggregated by the database from `usage_records`, with the
//! quota admission counts.

pub mod close;
pub mod document;
pub mod invoicing;
pub mod money;
pub mod usage;
