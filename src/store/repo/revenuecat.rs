//! `revenuecat_configs`, `revenuecat_events` and `revenuecat_subscriptions`: the RevenueCat
//! integrations of the platform and of resellers, every webhook they received, and what
//! RevenueCat last said about each tenant (docs/revenuecat.md).

use super::{Page, PageRequest};
use crate::store::schema::revenuecat_configs::dsl as c;
use crate::store::schema::revenuecat_events::dsl as e;
use crate::store::schema::revenuecat_subscriptions::dsl as s;
use crate::store::{DbConn, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Whose integration: the platform's (tenants sold directly) or a reseller's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Platform,
    Reseller(String),
}

impl Owner {
    /// `revenuecat_events.owner_key`: the reseller id, or `platform`.
    pub fn key(&self) -> String {
        match self {
            Owner::Platform => "platform".into(),
            Owner::Reseller(id) => id.clone(),
        }
    }

    pub fn reseller_id(&self) -> Option<String> {
        match self {
            Owner::Platform => None,
            Owner::Reseller(id) => Some(id.clone()),
        }
    }

    pub fn level(&self) -> &'static str {
        match self {
            Owner::Platform => "platform",
            Owner::Reseller(_) => "reseller",
        }
    }

    /// Whether `scope` manages this owner's integration: the platform (and the service)
    /// every one, a reseller its own, a tenant none.
    pub fn visible_to(&self, scope: &Scope) -> bool {
        match (scope, self) {
            (Scope::System | Scope::Platform, _) => true,
            (Scope::Reseller { reseller_id }, Owner::Reseller(r)) => reseller_id.to_string() == *r,
            _ => false,
        }
    }

    pub fn of_row(row: &ConfigRow) -> Owner {
        match &row.reseller_id {
            Some(r) if row.level == "reseller" => Owner::Reseller(r.clone()),
            _ => Owner::Platform,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crate::store::schema::revenuecat_configs)]
pub struct ConfigRow {
    pub id: String,
    pub level: String,
    pub reseller_id: Option<String>,
    /// Lower-case hex SHA-256 of the exact `Authorization` header value.
    pub authorization_sha256: String,
    pub authorization_hint: String,
    pub app_user_id_is_tenant_id: bool,
    pub app_users: String,
    pub entitlements: String,
    pub products: String,
    pub apply_sandbox: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn config_of(
    conn: &mut DbConn,
    scope: &Scope,
    owner: &Owner,
) -> Result<Option<ConfigRow>, StoreError> {
    if !owner.visible_to(scope) {
        return Ok(None);
    }
    let q = c::revenuecat_configs.into_boxed();
    let q = match owner {
        Owner::Platform => q.filter(c::level.eq("platform")),
        Owner::Reseller(r) => q
            .filter(c::level.eq("reseller"))
            .filter(c::reseller_id.eq(r.clone())),
    };
    Ok(q.select(ConfigRow::as_select()).first(conn).optional()?)
}

/// The integration whose header digest this is (system scope: the header is all a webhook
/// has before its owner is known).
pub fn config_by_digest(
    conn: &mut DbConn,
    digest_hex: &str,
) -> Result<Option<ConfigRow>, StoreError> {
    Ok(c::revenuecat_configs
        .filter(c::authorization_sha256.eq(digest_hex.to_string()))
        .select(ConfigRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts or replaces the owner's integration (the row's `id` is kept on replace).
pub fn save_config(conn: &mut DbConn, row: &ConfigRow, exists: bool) -> Result<(), StoreError> {
    if exists {
        diesel::update(c::revenuecat_configs.filter(c::id.eq(row.id.clone())))
            .set(row)
            .execute(conn)?;
    } else {
        diesel::insert_into(c::revenuecat_configs)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_config(conn: &mut DbConn, id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(c::revenuecat_configs.filter(c::id.eq(id.to_string()))).execute(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::revenuecat_events)]
pub struct EventRow {
    pub id: String,
    pub owner_key: String,
    pub reseller_id: Option<String>,
    pub event_id: Option<String>,
    pub event_type: Option<String>,
    pub app_user_id: Option<String>,
    /// JSON array of the tenant ids the event concerned.
    pub tenant_ids: String,
    pub event_timestamp_ms: Option<i64>,
    pub environment: Option<String>,
    pub outcome: String,
    pub detail: String,
    pub payload: String,
    pub received_at: NaiveDateTime,
}

/// The event already received with this id, if any.
pub fn event_by_event_id(
    conn: &mut DbConn,
    scope: &Scope,
    owner: &Owner,
    event_id: &str,
) -> Result<Option<EventRow>, StoreError> {
    if !owner.visible_to(scope) {
        return Ok(None);
    }
    Ok(e::revenuecat_events
        .filter(e::owner_key.eq(owner.key()))
        .filter(e::event_id.eq(event_id.to_string()))
        .select(EventRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> Result<(), StoreError> {
    diesel::insert_into(e::revenuecat_events)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The owner's events, newest first, optionally only those with one of `outcomes`.
pub fn list_events(
    conn: &mut DbConn,
    scope: &Scope,
    owner: &Owner,
    outcomes: &[String],
    page: &PageRequest,
) -> Result<Page<EventRow>, StoreError> {
    if !owner.visible_to(scope) {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    let mut q = e::revenuecat_events
        .filter(e::owner_key.eq(owner.key()))
        .into_boxed();
    if !outcomes.is_empty() {
        q = q.filter(e::outcome.eq_any(outcomes.to_vec()));
    }
    if let Some(after) = &page.after {
        q = q.filter(e::id.lt(after.clone()));
    }
    let rows = q
        .order(e::id.desc())
        .limit(page.limit + 1)
        .select(EventRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = crate::store::schema::revenuecat_subscriptions)]
#[diesel(treat_none_as_null = true)]
pub struct SubscriptionRow {
    pub tenant_id: String,
    pub reseller_id: Option<String>,
    pub app_user_id: String,
    pub product_id: Option<String>,
    /// JSON array of entitlement identifiers.
    pub entitlement_ids: String,
    pub period_type: Option<String>,
    pub store: Option<String>,
    pub environment: Option<String>,
    pub original_transaction_id: Option<String>,
    pub expires_at: Option<NaiveDateTime>,
    pub will_renew: Option<bool>,
    pub pending_product_id: Option<String>,
    pub auto_resume_at: Option<NaiveDateTime>,
    pub last_event_id: String,
    pub last_event_type: String,
    pub last_event_at_ms: i64,
    pub updated_at: NaiveDateTime,
}

/// A tenant's subscription row, when `scope` may see the tenant.
pub fn subscription(
    conn: &mut DbConn,
    scope: &Scope,
    tenant_id: &str,
) -> Result<Option<SubscriptionRow>, StoreError> {
    let q = s::revenuecat_subscriptions
        .filter(s::tenant_id.eq(tenant_id.to_string()))
        .into_boxed();
    let q = match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(s::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant { tenant_id: own, .. } => q.filter(s::tenant_id.eq(own.to_string())),
    };
    Ok(q.select(SubscriptionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Serialises webhooks for one tenant for the rest of the transaction: a no-op update of the
/// tenant's row, which always exists (PostgreSQL holds its row lock until commit; SQLite has
/// one writer anyway). Locking the subscription row instead would lock nothing before the
/// tenant's first event, and two first events racing would meet at its primary key while each
/// held the other's next lock — a deadlock seen under load in CI.
pub fn lock_subscription(conn: &mut DbConn, tenant_id: &str) -> Result<usize, StoreError> {
    use crate::store::schema::tenants::dsl as t;
    Ok(
        diesel::update(t::tenants.filter(t::id.eq(tenant_id.to_string())))
            .set(t::updated_at.eq(t::updated_at))
            .execute(conn)?,
    )
}

pub fn save_subscription(
    conn: &mut DbConn,
    row: &SubscriptionRow,
    exists: bool,
) -> Result<(), StoreError> {
    if exists {
        diesel::update(s::revenuecat_subscriptions.filter(s::tenant_id.eq(row.tenant_id.clone())))
            .set(row)
            .execute(conn)?;
    } else {
        diesel::insert_into(s::revenuecat_subscriptions)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
