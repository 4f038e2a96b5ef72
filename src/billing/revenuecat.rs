//! RevenueCat webhooks (docs/revenuecat.md): who sent one (the `Authorization` header, by its
//! SHA-256, compared in constant time), what it says (the event, read leniently from
//! RevenueCat's JSON), and what it does to the tenant it concerns (subscription status and
//! plan, through the same `tenants` update the `PATCH` uses, audited), exactly once per event
//! id and never undone by an older event arriving late.

use crate::audit::{self, Actor, Event};
use crate::store::repo::revenuecat::{ConfigRow, EventRow, Owner, SubscriptionRow};
use crate::store::repo::{self, tenants::TenantChanges, tenants::TenantRow};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::Scope;
use chrono::{DateTime, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::ToSchema;

/// One `app_user_id` → tenant mapping of an integration.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AppUserMapping {
    /// RevenueCat's App User ID (or one of its aliases).
    pub app_user_id: String,
    pub tenant_id: uuid::Uuid,
}

/// One entitlement → plan mapping.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntitlementMapping {
    /// A RevenueCat entitlement identifier, as in the event's `entitlement_ids`.
    pub entitlement_id: String,
    pub plan_id: uuid::Uuid,
}

/// One product → plan mapping.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProductMapping {
    /// A store product identifier, as in the event's `product_id`.
    pub product_id: String,
    pub plan_id: uuid::Uuid,
}

/// The mappings of a stored integration (lenient: a row that does not parse maps nothing).
pub struct Mappings {
    pub app_users: Vec<AppUserMapping>,
    pub entitlements: Vec<EntitlementMapping>,
    pub products: Vec<ProductMapping>,
}

impl Mappings {
    pub fn of(row: &ConfigRow) -> Mappings {
        Mappings {
            app_users: serde_json::from_str(&row.app_users).unwrap_or_default(),
            entitlements: serde_json::from_str(&row.entitlements).unwrap_or_default(),
            products: serde_json::from_str(&row.products).unwrap_or_default(),
        }
    }
}

/// Lower-case hex SHA-256 of a header value, as stored in `authorization_sha256`.
pub fn digest_hex(value: &[u8]) -> String {
    hex::encode(Sha256::digest(value))
}

/// The last four characters of a header value, shown so an admin recognises it.
pub fn hint(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

/// A new header value: `Bearer rcwh_` + 48 random alphanumerics (~285 bits).
pub fn new_authorization() -> String {
    format!("Bearer rcwh_{}", crate::auth::secrets::random_token(48))
}

/// The integration this `Authorization` header value belongs to. It is found by its
/// SHA-256 (a preimage-resistant digest: how long the lookup takes says nothing about the
/// secret), and the stored digest is then compared with the presented one in constant time.
pub fn integration_for(
    c: &mut DbConn,
    header_value: &[u8],
) -> Result<Option<ConfigRow>, StoreError> {
    let presented: [u8; 32] = Sha256::digest(header_value).into();
    let Some(row) = repo::revenuecat::config_by_digest(c, &hex::encode(presented))? else {
        return Ok(None);
    };
    let stored = hex::decode(&row.authorization_sha256).unwrap_or_default();
    if stored.len() == presented.len() && bool::from(stored.as_slice().ct_eq(presented.as_slice()))
    {
        Ok(Some(row))
    } else {
        Ok(None)
    }
}

/// The event types RevenueCat documents (docs/revenuecat.md says what each does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Test,
    InitialPurchase,
    Renewal,
    Cancellation,
    Uncancellation,
    NonRenewingPurchase,
    Expiration,
    BillingIssue,
    ProductChange,
    SubscriptionPaused,
    SubscriptionExtended,
    Transfer,
    /// Documented, but nothing a tenant's subscription follows: recorded only.
    Informational(&'static str),
}

const INFORMATIONAL: &[&str] = &[
    "SUBSCRIBER_ALIAS",
    "TEMPORARY_ENTITLEMENT_GRANT",
    "REFUND_REVERSED",
    "INVOICE_ISSUANCE",
    "VIRTUAL_CURRENCY_TRANSACTION",
    "EXPERIMENT_ENROLLMENT",
];

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "TEST" => Kind::Test,
            "INITIAL_PURCHASE" => Kind::InitialPurchase,
            "RENEWAL" => Kind::Renewal,
            "CANCELLATION" => Kind::Cancellation,
            "UNCANCELLATION" => Kind::Uncancellation,
            "NON_RENEWING_PURCHASE" => Kind::NonRenewingPurchase,
            "EXPIRATION" => Kind::Expiration,
            "BILLING_ISSUE" => Kind::BillingIssue,
            "PRODUCT_CHANGE" => Kind::ProductChange,
            "SUBSCRIPTION_PAUSED" => Kind::SubscriptionPaused,
            "SUBSCRIPTION_EXTENDED" => Kind::SubscriptionExtended,
            "TRANSFER" => Kind::Transfer,
            other => Kind::Informational(INFORMATIONAL.iter().copied().find(|k| *k == other)?),
        })
    }

    /// A bounded metric label: the documented type, or `unknown`.
    pub fn label(kind: Option<Kind>, raw: Option<&str>) -> &'static str {
        match (kind, raw) {
            (Some(Kind::Informational(k)), _) => k,
            (Some(k), _) => match k {
                Kind::Test => "TEST",
                Kind::InitialPurchase => "INITIAL_PURCHASE",
                Kind::Renewal => "RENEWAL",
                Kind::Cancellation => "CANCELLATION",
                Kind::Uncancellation => "UNCANCELLATION",
                Kind::NonRenewingPurchase => "NON_RENEWING_PURCHASE",
                Kind::Expiration => "EXPIRATION",
                Kind::BillingIssue => "BILLING_ISSUE",
                Kind::ProductChange => "PRODUCT_CHANGE",
                Kind::SubscriptionPaused => "SUBSCRIPTION_PAUSED",
                Kind::SubscriptionExtended => "SUBSCRIPTION_EXTENDED",
                Kind::Transfer => "TRANSFER",
                Kind::Informational(k) => k,
            },
            (None, Some(_)) => "unknown",
            (None, None) => "none",
        }
    }
}

/// The fields of an event this service reads. RevenueCat adds fields over time and some
/// are `null`: each is read on its own, so an unexpected type only loses that field.
#[derive(Debug, Clone, Default)]
pub struct RcEvent {
    pub id: Option<String>,
    pub type_: Option<String>,
    pub app_user_id: Option<String>,
    pub original_app_user_id: Option<String>,
    pub aliases: Vec<String>,
    pub transferred_from: Vec<String>,
    pub transferred_to: Vec<String>,
    pub product_id: Option<String>,
    pub new_product_id: Option<String>,
    pub entitlement_ids: Vec<String>,
    pub period_type: Option<String>,
    pub environment: Option<String>,
    pub store: Option<String>,
    pub event_timestamp_ms: Option<i64>,
    pub expiration_at_ms: Option<i64>,
    pub auto_resume_at_ms: Option<i64>,
    pub cancel_reason: Option<String>,
    pub expiration_reason: Option<String>,
    pub original_transaction_id: Option<String>,
    pub transaction_id: Option<String>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| s.chars().take(512).collect())
}

fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(|x| {
        x.as_i64()
            .or_else(|| x.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
    })
}

fn texts(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .filter(|s| !s.is_empty())
                .take(100)
                .map(|s| s.chars().take(512).collect())
                .collect()
        })
        .unwrap_or_default()
}

impl RcEvent {
    /// The `event` object of a webhook body, or why there is none.
    pub fn parse(body: &[u8]) -> Result<RcEvent, String> {
        let doc: Value =
            serde_json::from_slice(body).map_err(|e| format!("the body is not JSON: {e}"))?;
        let Some(ev) = doc.get("event").filter(|e| e.is_object()) else {
            return Err("the body has no `event` object".into());
        };
        let mut entitlement_ids = texts(ev, "entitlement_ids");
        if entitlement_ids.is_empty() {
            // `entitlement_id` is the deprecated single form.
            entitlement_ids.extend(text(ev, "entitlement_id"));
        }
        Ok(RcEvent {
            id: text(ev, "id"),
            type_: text(ev, "type"),
            app_user_id: text(ev, "app_user_id"),
            original_app_user_id: text(ev, "original_app_user_id"),
            aliases: texts(ev, "aliases"),
            transferred_from: texts(ev, "transferred_from"),
            transferred_to: texts(ev, "transferred_to"),
            product_id: text(ev, "product_id"),
            new_product_id: text(ev, "new_product_id"),
            entitlement_ids,
            period_type: text(ev, "period_type"),
            environment: text(ev, "environment"),
            store: text(ev, "store"),
            event_timestamp_ms: int(ev, "event_timestamp_ms"),
            expiration_at_ms: int(ev, "expiration_at_ms"),
            auto_resume_at_ms: int(ev, "auto_resume_at_ms"),
            cancel_reason: text(ev, "cancel_reason"),
            expiration_reason: text(ev, "expiration_reason"),
            original_transaction_id: text(ev, "original_transaction_id"),
            transaction_id: text(ev, "transaction_id"),
        })
    }
}

fn at_ms(ms: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_millis(ms).map(|t| t.naive_utc())
}

/// What one webhook did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevenueCatWebhookAck {
    /// Always true: the webhook was received and stored (or was a replay).
    pub received: bool,
    /// RevenueCat's event id, when the body had one.
    pub event_id: Option<String>,
    /// `applied`, `stale` (older than what the tenant's subscription already reflects),
    /// `recorded` (an event type that changes nothing here), `test`, `unmapped` (no tenant
    /// for its App User ID), `sandbox` (a sandbox event, not applied), `unknown` (an event
    /// type this service does not know), `malformed`, or `duplicate` (this event id was
    /// already received: nothing changed).
    pub outcome: String,
    /// The tenants the event concerned.
    pub tenant_ids: Vec<uuid::Uuid>,
}

/// The outcome of processing, before it is stored.
struct Processed {
    outcome: &'static str,
    detail: String,
    tenants: Vec<String>,
}

/// Receives one webhook body for `config`: stores it, applies it unless it is a replay, and
/// says what it did. Runs in one transaction in the owner's scope (`scope`).
pub fn receive(
    c: &mut DbConn,
    scope: &Scope,
    config: &ConfigRow,
    body: &[u8],
    actor: &Actor,
) -> Result<RevenueCatWebhookAck, StoreError> {
    let owner = Owner::of_row(config);
    let now = store::now();
    let parsed = RcEvent::parse(body);
    let event = parsed.clone().unwrap_or_default();
    let kind = event.type_.as_deref().and_then(Kind::parse);
    if let Some(id) = &event.id {
        if repo::revenuecat::event_by_event_id(c, scope, &owner, id)?.is_some() {
            return Ok(RevenueCatWebhookAck {
                received: true,
                event_id: Some(id.clone()),
                outcome: "duplicate".into(),
                tenant_ids: Vec::new(),
            });
        }
    }
    let processed = match (&parsed, kind) {
        (Err(why), _) => Processed {
            outcome: "malformed",
            detail: why.clone(),
            tenants: Vec::new(),
        },
        (Ok(e), _) if e.id.is_none() || e.type_.is_none() => Processed {
            outcome: "malformed",
            detail: "the event has no `id` or no `type`".into(),
            tenants: Vec::new(),
        },
        (Ok(e), None) => Processed {
            outcome: "unknown",
            detail: format!(
                "unknown event type {:?}: stored, nothing applied",
                e.type_.as_deref().unwrap_or("")
            ),
            tenants: Vec::new(),
        },
        (Ok(_), Some(Kind::Test)) => Processed {
            outcome: "test",
            detail: "test event from the RevenueCat dashboard".into(),
            tenants: Vec::new(),
        },
        (Ok(e), Some(Kind::Informational(k))) => Processed {
            outcome: "recorded",
            detail: format!("{k} changes no subscription here: recorded"),
            tenants: resolve_any(c, scope, config, &owner, e)?,
        },
        (Ok(e), Some(_))
            if e.environment.as_deref() == Some("SANDBOX") && !config.apply_sandbox =>
        {
            Processed {
                outcome: "sandbox",
                detail: "a sandbox event; the integration does not apply sandbox events".into(),
                tenants: resolve_any(c, scope, config, &owner, e)?,
            }
        }
        (Ok(e), Some(Kind::Transfer)) => transfer(c, scope, config, &owner, e, actor, now)?,
        (Ok(e), Some(k)) => {
            let candidates = candidates_of(e);
            match resolve(c, scope, config, &owner, &candidates)? {
                None => Processed {
                    outcome: "unmapped",
                    detail: format!(
                        "no tenant of this integration for app_user_id {:?} (nor its aliases)",
                        e.app_user_id.as_deref().unwrap_or("")
                    ),
                    tenants: Vec::new(),
                },
                Some(tenant) => apply(c, scope, config, e, k, tenant, actor, now)?,
            }
        }
    };
    match processed.outcome {
        "unknown" | "malformed" | "unmapped" => tracing::warn!(
            outcome = processed.outcome,
            event_id = event.id.as_deref().unwrap_or(""),
            event_type = event.type_.as_deref().unwrap_or(""),
            detail = %processed.detail,
            "RevenueCat webhook stored without effect"
        ),
        _ => tracing::info!(
            outcome = processed.outcome,
            event_id = event.id.as_deref().unwrap_or(""),
            event_type = event.type_.as_deref().unwrap_or(""),
            "RevenueCat webhook"
        ),
    }
    let row = EventRow {
        id: store::new_id(),
        owner_key: owner.key(),
        reseller_id: owner.reseller_id(),
        event_id: event.id.clone(),
        event_type: event.type_.clone(),
        app_user_id: event.app_user_id.clone(),
        tenant_ids: serde_json::to_string(&processed.tenants).unwrap_or_else(|_| "[]".into()),
        event_timestamp_ms: event.event_timestamp_ms,
        environment: event.environment.clone(),
        outcome: processed.outcome.to_string(),
        detail: processed.detail.clone(),
        payload: String::from_utf8_lossy(body).into_owned(),
        received_at: now,
    };
    repo::revenuecat::insert_event(c, &row)?;
    Ok(RevenueCatWebhookAck {
        received: true,
        event_id: event.id,
        outcome: processed.outcome.to_string(),
        tenant_ids: processed
            .tenants
            .iter()
            .filter_map(|t| uuid::Uuid::parse_str(t).ok())
            .collect(),
    })
}

/// The ids an event's customer goes by: its App User ID, the original one, its aliases.
fn candidates_of(e: &RcEvent) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in e
        .app_user_id
        .iter()
        .chain(e.original_app_user_id.iter())
        .chain(e.aliases.iter())
    {
        if !out.contains(id) {
            out.push(id.clone());
        }
    }
    out
}

/// The tenants an informational event names (for the record), however it names them.
fn resolve_any(
    c: &mut DbConn,
    scope: &Scope,
    config: &ConfigRow,
    owner: &Owner,
    e: &RcEvent,
) -> Result<Vec<String>, StoreError> {
    let mut out = Vec::new();
    if let Some(t) = resolve(c, scope, config, owner, &candidates_of(e))? {
        out.push(t.id);
    }
    Ok(out)
}

/// The tenant of this integration that the first of `candidates` maps to: an explicit
/// `app_users` mapping first, then (with `app_user_id_is_tenant_id`) an id that is the
/// tenant's own. Only live tenants of the owner count (a reseller's own tenants; the
/// platform's: tenants sold directly).
pub fn resolve(
    c: &mut DbConn,
    scope: &Scope,
    config: &ConfigRow,
    owner: &Owner,
    candidates: &[String],
) -> Result<Option<TenantRow>, StoreError> {
    let maps = Mappings::of(config);
    for candidate in candidates {
        let mut ids: Vec<String> = maps
            .app_users
            .iter()
            .filter(|m| &m.app_user_id == candidate)
            .map(|m| m.tenant_id.to_string())
            .collect();
        if config.app_user_id_is_tenant_id {
            if let Ok(u) = uuid::Uuid::parse_str(candidate) {
                ids.push(u.to_string());
            }
        }
        for id in ids {
            if let Some(t) = repo::tenants::get(c, scope, &id)? {
                if t.reseller_id == owner.reseller_id() {
                    return Ok(Some(t));
                }
            }
        }
    }
    Ok(None)
}

/// The plan an event's product or entitlements map to: a `products` mapping of its
/// `product_id` first, then the first `entitlements` mapping (in configured order) among its
/// `entitlement_ids`. Only a plan the tenant may use counts (a system plan, or one of its
/// reseller's).
fn mapped_plan(
    c: &mut DbConn,
    config: &ConfigRow,
    tenant: &TenantRow,
    product_id: Option<&str>,
    entitlement_ids: &[String],
) -> Result<Option<String>, StoreError> {
    let maps = Mappings::of(config);
    let mut wanted: Vec<String> = Vec::new();
    if let Some(p) = product_id {
        wanted.extend(
            maps.products
                .iter()
                .filter(|m| m.product_id == p)
                .map(|m| m.plan_id.to_string()),
        );
    }
    wanted.extend(
        maps.entitlements
            .iter()
            .filter(|m| entitlement_ids.contains(&m.entitlement_id))
            .map(|m| m.plan_id.to_string()),
    );
    for plan_id in wanted {
        if let Some(p) = repo::plans::get(c, &Scope::System, &plan_id)? {
            if p.reseller_id.is_none() || p.reseller_id == tenant.reseller_id {
                return Ok(Some(p.id));
            }
        }
    }
    Ok(None)
}

/// What an event does to a tenant's status (`None`: unchanged). docs/revenuecat.md has the
/// table.
fn status_after(kind: Kind, e: &RcEvent, current: &str) -> Option<&'static str> {
    let trial = e.period_type.as_deref() == Some("TRIAL");
    match kind {
        Kind::InitialPurchase | Kind::Renewal => Some(if trial { "trial" } else { "active" }),
        Kind::SubscriptionExtended => Some(if current == "trial" || trial {
            "trial"
        } else {
            "active"
        }),
        Kind::NonRenewingPurchase => Some("active"),
        Kind::Expiration => Some("expired"),
        Kind::BillingIssue => Some("past_due"),
        // A refund (cancel_reason CUSTOMER_SUPPORT) of a period that is over, or with no
        // expiry left, ends access now; any other cancellation only stops renewal, and
        // access lasts until the EXPIRATION RevenueCat sends at the end of the period.
        Kind::Cancellation => {
            let refunded = e.cancel_reason.as_deref() == Some("CUSTOMER_SUPPORT");
            let over = match (e.expiration_at_ms, e.event_timestamp_ms) {
                (Some(exp), Some(ts)) => exp <= ts,
                (None, _) => true,
                _ => false,
            };
            (refunded && over).then_some("cancelled")
        }
        Kind::Uncancellation
        | Kind::ProductChange
        | Kind::SubscriptionPaused
        | Kind::Transfer
        | Kind::Test
        | Kind::Informational(_) => None,
    }
}

/// Applies an event to one tenant, unless the tenant's subscription already reflects a newer
/// event.
#[allow(clippy::too_many_arguments)]
fn apply(
    c: &mut DbConn,
    scope: &Scope,
    config: &ConfigRow,
    e: &RcEvent,
    kind: Kind,
    tenant: TenantRow,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Processed, StoreError> {
    let ts = e.event_timestamp_ms.unwrap_or(0);
    repo::revenuecat::lock_subscription(c, &tenant.id)?;
    // Read again under the lock: a webhook that held it may have changed the tenant.
    let tenant = repo::tenants::get(c, scope, &tenant.id)?.unwrap_or(tenant);
    let existing = repo::revenuecat::subscription(c, scope, &tenant.id)?;
    if let Some(sub) = &existing {
        if ts < sub.last_event_at_ms {
            return Ok(Processed {
                outcome: "stale",
                detail: format!(
                    "older than the {} event (event_timestamp_ms {} < {}) the subscription already reflects: recorded, not applied",
                    sub.last_event_type, ts, sub.last_event_at_ms
                ),
                tenants: vec![tenant.id],
            });
        }
    }
    let status = status_after(kind, e, &tenant.subscription_status);
    // The plan follows what the customer now has: purchases, renewals and extensions carry
    // the product in effect. A PRODUCT_CHANGE does not (it may take effect at renewal).
    let plan = match kind {
        Kind::InitialPurchase
        | Kind::Renewal
        | Kind::NonRenewingPurchase
        | Kind::SubscriptionExtended => mapped_plan(
            c,
            config,
            &tenant,
            e.product_id.as_deref(),
            &e.entitlement_ids,
        )?,
        _ => None,
    };
    let mut sub = existing.clone().unwrap_or_else(|| SubscriptionRow {
        tenant_id: tenant.id.clone(),
        reseller_id: tenant.reseller_id.clone(),
        app_user_id: String::new(),
        product_id: None,
        entitlement_ids: "[]".into(),
        period_type: None,
        store: None,
        environment: None,
        original_transaction_id: None,
        expires_at: None,
        will_renew: None,
        pending_product_id: None,
        auto_resume_at: None,
        last_event_id: String::new(),
        last_event_type: String::new(),
        last_event_at_ms: 0,
        updated_at: now,
    });
    sub.app_user_id = e.app_user_id.clone().unwrap_or(sub.app_user_id);
    sub.last_event_id = e.id.clone().unwrap_or_default();
    sub.last_event_type = e.type_.clone().unwrap_or_default();
    sub.last_event_at_ms = ts;
    sub.updated_at = now;
    sub.environment = e.environment.clone().or(sub.environment);
    sub.store = e.store.clone().or(sub.store);
    match kind {
        Kind::InitialPurchase
        | Kind::Renewal
        | Kind::NonRenewingPurchase
        | Kind::SubscriptionExtended => {
            sub.product_id = e.product_id.clone().or(sub.product_id);
            sub.entitlement_ids =
                serde_json::to_string(&e.entitlement_ids).unwrap_or_else(|_| "[]".into());
            sub.period_type = e.period_type.clone();
            sub.expires_at = e.expiration_at_ms.and_then(at_ms);
            sub.will_renew = Some(kind != Kind::NonRenewingPurchase);
            sub.original_transaction_id = e
                .original_transaction_id
                .clone()
                .or(e.transaction_id.clone())
                .or(sub.original_transaction_id);
            sub.pending_product_id = None;
            sub.auto_resume_at = None;
        }
        Kind::Cancellation => {
            sub.will_renew = Some(false);
            sub.expires_at = e.expiration_at_ms.and_then(at_ms).or(sub.expires_at);
        }
        Kind::Uncancellation => sub.will_renew = Some(true),
        Kind::Expiration => {
            sub.will_renew = Some(false);
            sub.expires_at = e.expiration_at_ms.and_then(at_ms).or(sub.expires_at);
        }
        Kind::BillingIssue => {}
        Kind::ProductChange => sub.pending_product_id = e.new_product_id.clone(),
        Kind::SubscriptionPaused => sub.auto_resume_at = e.auto_resume_at_ms.and_then(at_ms),
        Kind::Transfer | Kind::Test | Kind::Informational(_) => {}
    }
    repo::revenuecat::save_subscription(c, &sub, existing.is_some())?;
    let event_at = at_ms(ts).filter(|t| *t <= now).unwrap_or(now);
    let detail = change_tenant(
        c,
        scope,
        &tenant,
        status,
        plan.as_deref(),
        match kind {
            Kind::InitialPurchase | Kind::Renewal | Kind::NonRenewingPurchase => {
                sub.original_transaction_id.clone()
            }
            _ => None,
        },
        event_at,
        e,
        actor,
        now,
    )?;
    Ok(Processed {
        outcome: "applied",
        detail,
        tenants: vec![tenant.id],
    })
}

/// Changes a tenant's subscription status, plan and subscription id through the tenants
/// repository (the same update `PATCH /v1/tenants/{id}` makes) and audits it.
#[allow(clippy::too_many_arguments)]
fn change_tenant(
    c: &mut DbConn,
    scope: &Scope,
    tenant: &TenantRow,
    status: Option<&str>,
    plan: Option<&str>,
    subscription_id: Option<String>,
    event_at: NaiveDateTime,
    e: &RcEvent,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let status = status.filter(|s| *s != tenant.subscription_status);
    let plan = plan.filter(|p| tenant.subscription_plan_id.as_deref() != Some(*p));
    let subscription_id = subscription_id.filter(|s| tenant.subscription_id.as_ref() != Some(s));
    // The grace period runs from when the status became past_due: the event's time (never
    // later than now), kept while it stays so, cleared when it leaves.
    let past_due_since = match status {
        Some("past_due") => Some(Some(event_at)),
        Some(_) => Some(None),
        None => None,
    };
    let changed = status.is_some() || plan.is_some() || subscription_id.is_some();
    if changed {
        repo::tenants::update(
            c,
            scope,
            &tenant.id,
            &TenantChanges {
                subscription_status: status.map(str::to_string),
                subscription_plan_id: plan.map(|p| Some(p.to_string())),
                subscription_id: subscription_id.clone().map(Some),
                past_due_since,
                updated_at: Some(now),
                ..Default::default()
            },
        )?;
    }
    let detail = match (status, plan) {
        (None, None) => "applied: status and plan unchanged".to_string(),
        (s, p) => format!(
            "applied:{}{}",
            s.map(|s| format!(" status {} → {s}", tenant.subscription_status))
                .unwrap_or_default(),
            p.map(|p| format!(
                " plan {} → {p}",
                tenant.subscription_plan_id.as_deref().unwrap_or("none")
            ))
            .unwrap_or_default()
        ),
    };
    audit::record(
        c,
        actor,
        Event {
            action: "tenant.subscription.revenuecat",
            target_type: "tenant",
            target_id: Some(tenant.id.clone()),
            tenant_id: Some(tenant.id.clone()),
            reseller_id: tenant.reseller_id.clone(),
            details: serde_json::json!({
                "event_id": e.id,
                "event_type": e.type_,
                "event_timestamp_ms": e.event_timestamp_ms,
                "subscription_status": {"from": tenant.subscription_status, "to": status.unwrap_or(&tenant.subscription_status)},
                "subscription_plan_id": {"from": tenant.subscription_plan_id, "to": plan.or(tenant.subscription_plan_id.as_deref())},
                "changed": changed,
            }),
        },
    )?;
    Ok(detail)
}

/// TRANSFER: RevenueCat moved the purchases of `transferred_from` to `transferred_to`. The
/// tenants the sources map to lose the subscription (`expired`); the tenant the destination
/// maps to gets it (`active`, with the plan the source's product or entitlements map to, else
/// the source tenant's plan). Each side is skipped when its tenant already reflects a newer
/// event.
fn transfer(
    c: &mut DbConn,
    scope: &Scope,
    config: &ConfigRow,
    owner: &Owner,
    e: &RcEvent,
    actor: &Actor,
    now: NaiveDateTime,
) -> Result<Processed, StoreError> {
    let ts = e.event_timestamp_ms.unwrap_or(0);
    let mut from: Vec<TenantRow> = Vec::new();
    for id in &e.transferred_from {
        if let Some(t) = resolve(c, scope, config, owner, std::slice::from_ref(id))? {
            if !from.iter().any(|f| f.id == t.id) {
                from.push(t);
            }
        }
    }
    let mut to = None;
    for id in &e.transferred_to {
        if let Some(t) = resolve(c, scope, config, owner, std::slice::from_ref(id))? {
            if !from.iter().any(|f| f.id == t.id) {
                to = Some(t);
                break;
            }
        }
    }
    if from.is_empty() && to.is_none() {
        return Ok(Processed {
            outcome: "unmapped",
            detail: "no tenant of this integration for transferred_from or transferred_to".into(),
            tenants: Vec::new(),
        });
    }
    let mut tenants = Vec::new();
    let mut details = Vec::new();
    let mut applied = false;
    // What the source had, for the destination.
    let mut carried: Option<(SubscriptionRow, Option<String>)> = None;
    for t in from {
        repo::revenuecat::lock_subscription(c, &t.id)?;
        let existing = repo::revenuecat::subscription(c, scope, &t.id)?;
        tenants.push(t.id.clone());
        if existing.as_ref().is_some_and(|s| ts < s.last_event_at_ms) {
            details.push(format!("{}: stale", t.id));
            continue;
        }
        if carried.is_none() {
            if let Some(s) = &existing {
                carried = Some((s.clone(), t.subscription_plan_id.clone()));
            }
        }
        let mut sub = existing
            .clone()
            .unwrap_or_else(|| blank_subscription(&t, now));
        sub.app_user_id = e
            .transferred_from
            .first()
            .cloned()
            .unwrap_or(sub.app_user_id);
        sub.will_renew = Some(false);
        mark(&mut sub, e, ts, now);
        repo::revenuecat::save_subscription(c, &sub, existing.is_some())?;
        let d = change_tenant(
            c,
            scope,
            &t,
            Some("expired"),
            None,
            None,
            now,
            e,
            actor,
            now,
        )?;
        details.push(format!("{}: {d}", t.id));
        applied = true;
    }
    if let Some(t) = to {
        repo::revenuecat::lock_subscription(c, &t.id)?;
        let existing = repo::revenuecat::subscription(c, scope, &t.id)?;
        tenants.push(t.id.clone());
        if existing.as_ref().is_some_and(|s| ts < s.last_event_at_ms) {
            details.push(format!("{}: stale", t.id));
        } else {
            let mut sub = existing
                .clone()
                .unwrap_or_else(|| blank_subscription(&t, now));
            let mut plan = None;
            if let Some((src, src_plan)) = &carried {
                sub.product_id = src.product_id.clone();
                sub.entitlement_ids = src.entitlement_ids.clone();
                sub.period_type = src.period_type.clone();
                sub.expires_at = src.expires_at;
                sub.will_renew = src.will_renew;
                sub.original_transaction_id = src.original_transaction_id.clone();
                let ents: Vec<String> =
                    serde_json::from_str(&src.entitlement_ids).unwrap_or_default();
                plan = mapped_plan(c, config, &t, src.product_id.as_deref(), &ents)?
                    .or(src_plan.clone());
            }
            sub.app_user_id = e.transferred_to.first().cloned().unwrap_or(sub.app_user_id);
            mark(&mut sub, e, ts, now);
            repo::revenuecat::save_subscription(c, &sub, existing.is_some())?;
            let d = change_tenant(
                c,
                scope,
                &t,
                Some("active"),
                plan.as_deref(),
                None,
                now,
                e,
                actor,
                now,
            )?;
            details.push(format!("{}: {d}", t.id));
            applied = true;
        }
    }
    Ok(Processed {
        outcome: if applied { "applied" } else { "stale" },
        detail: format!("transfer: {}", details.join("; ")),
        tenants,
    })
}

fn blank_subscription(t: &TenantRow, now: NaiveDateTime) -> SubscriptionRow {
    SubscriptionRow {
        tenant_id: t.id.clone(),
        reseller_id: t.reseller_id.clone(),
        app_user_id: String::new(),
        product_id: None,
        entitlement_ids: "[]".into(),
        period_type: None,
        store: None,
        environment: None,
        original_transaction_id: None,
        expires_at: None,
        will_renew: None,
        pending_product_id: None,
        auto_resume_at: None,
        last_event_id: String::new(),
        last_event_type: String::new(),
        last_event_at_ms: 0,
        updated_at: now,
    }
}

fn mark(sub: &mut SubscriptionRow, e: &RcEvent, ts: i64, now: NaiveDateTime) {
    sub.last_event_id = e.id.clone().unwrap_or_default();
    sub.last_event_type = e.type_.clone().unwrap_or_default();
    sub.last_event_at_ms = ts;
    sub.environment = e.environment.clone().or(sub.environment.take());
    sub.store = e.store.clone().or(sub.store.take());
    sub.updated_at = now;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documented_fields_and_survives_odd_types() {
        let body = br#"{"api_version":"1.0","event":{"id":"e1","type":"RENEWAL",
            "app_user_id":"u1","aliases":["a",7,null],"entitlement_id":"pro",
            "entitlement_ids":null,"event_timestamp_ms":1658726405017,
            "expiration_at_ms":1.659359932E12,"period_type":{"x":1}}}"#;
        let e = RcEvent::parse(body).expect("event");
        assert_eq!(e.id.as_deref(), Some("e1"));
        assert_eq!(e.aliases, vec!["a".to_string()]);
        assert_eq!(e.entitlement_ids, vec!["pro".to_string()]);
        assert_eq!(e.expiration_at_ms, Some(1_659_359_932_000));
        assert_eq!(e.period_type, None);
        assert!(RcEvent::parse(b"not json").is_err());
        assert!(RcEvent::parse(br#"{"event": []}"#).is_err());
    }

    #[test]
    fn kinds() {
        assert_eq!(Kind::parse("TRANSFER"), Some(Kind::Transfer));
        assert_eq!(
            Kind::parse("REFUND_REVERSED"),
            Some(Kind::Informational("REFUND_REVERSED"))
        );
        assert_eq!(Kind::parse("SOMETHING_NEW"), None);
        assert_eq!(Kind::label(None, Some("SOMETHING_NEW")), "unknown");
    }

    #[test]
    fn cancellation_ends_access_only_for_a_refund_of_a_finished_period() {
        let mut e = RcEvent {
            cancel_reason: Some("UNSUBSCRIBE".into()),
            expiration_at_ms: Some(2_000),
            event_timestamp_ms: Some(1_000),
            ..Default::default()
        };
        assert_eq!(status_after(Kind::Cancellation, &e, "active"), None);
        e.cancel_reason = Some("CUSTOMER_SUPPORT".into());
        assert_eq!(status_after(Kind::Cancellation, &e, "active"), None);
        e.expiration_at_ms = Some(900);
        assert_eq!(
            status_after(Kind::Cancellation, &e, "active"),
            Some("cancelled")
        );
    }

    #[test]
    fn hints_and_digests() {
        assert_eq!(hint("Bearer abcdef"), "cdef");
        assert_eq!(hint("ab"), "ab");
        assert_eq!(digest_hex(b"x").len(), 64);
        assert!(new_authorization().starts_with("Bearer rcwh_"));
    }
}
