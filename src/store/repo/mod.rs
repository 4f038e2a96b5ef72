//! Repositories: one module per table. Every function takes the caller's [`Scope`]
//! (crate::tenancy::Scope) and filters by it, so no code path reads tenant data without
//! it; on PostgreSQL the row-level security policies enforce the same rules again.

pub mod api_keys;
pub mod audit;
pub mod branding;
pub mod data_exports;
pub mod email_outbox;
pub mod files;
pub mod invitations;
pub mod invoices;
pub mod jobs;
pub mod memberships;
pub mod one_time_tokens;
pub mod plans;
pub mod presets;
pub mod refresh_tokens;
pub mod resellers;
pub mod reservations;
pub mod revenuecat;
pub mod templates;
pub mod tenant_data;
pub mod tenants;
pub mod translation_engines;
pub mod usage;
pub mod users;
pub mod workflows;
pub mod workspace_credentials;

diesel::define_sql_function! {
    /// `lower()`, the same on both backends, for case-insensitive filters.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A case-insensitive `LIKE` pattern matching `needle` anywhere, with `%`, `_` and `\`
/// escaped so user text matches literally (use with `.escape('\\')`).
/// What an erased personal value reads as (docs/data-lifecycle.md).
pub const ERASED: &str = "[erased]";

pub fn contains_pattern(needle: &str) -> String {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The ids of a reseller's tenants, as a subquery for `tenant_id IN (…)` filters.
pub type TenantsOfReseller = diesel::dsl::Select<
    diesel::dsl::Filter<
        crate::store::schema::tenants::table,
        diesel::dsl::Eq<crate::store::schema::tenants::reseller_id, String>,
    >,
    diesel::dsl::Nullable<crate::store::schema::tenants::id>,
>;

pub fn tenants_of_reseller(reseller_id: &uuid::Uuid) -> TenantsOfReseller {
    use crate::store::schema::tenants;
    use diesel::prelude::*;
    tenants::table
        .filter(tenants::reseller_id.eq(reseller_id.to_string()))
        .select(tenants::id.nullable())
}

/// Keyset pagination over time-ordered ids: newest first, `cursor` is the last id seen.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<String>,
}

/// One page of rows and the cursor of the next page, if any.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, id_of: impl Fn(&T) -> String) -> Self {
        let limit = usize::try_from(limit).unwrap_or(0);
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(&id_of)
        } else {
            None
        };
        Page { items: rows, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
        }
    }
}
