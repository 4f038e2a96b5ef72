//! Webhooks: a signed POST when a job reaches a final state.
//!
//! Deliveries are an outbox: the transaction that finishes a job also writes one row per
//! target (the job's `webhook_url`, and every tenant endpoint subscribed to the event), so
//! no final state goes unannounced even if the process dies right after. A background task
//! sends due deliveries; a failed attempt is retried with exponential backoff
//! (`base × 2^attempt`, capped at an hour) up to 8 attempts, then marked `failed`. A claim
//! pushes `next_attempt_at` ahead (a lease), so a delivery whose sender died is picked up
//! again. Every request carries `Voxflow-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
//! "<t>.<body>" with the target's secret>`, plus `Voxflow-Event` and `Voxflow-Delivery`.
//! Destinations pass the same SSRF guard as URL inputs, and each attempt connects only to
//! the addresses that passed.
//!
//! Sending is concurrent and fair across tenants: at most `webhook_concurrency` attempts
//! run at once, at most `webhook_tenant_concurrency` of them for one tenant, and each
//! round hands free slots to tenants with due deliveries in random order, one at a time. An
//! attempt is bounded by `webhook_connect_timeout_secs` to connect and
//! `webhook_timeout_secs` in all, so a tenant whose endpoints hang only fills its own slots
//! for that long; other tenants' deliveries go out meanwhile. (The bounds are per process.)
//!
//! Signing secrets are stored sealed ([`crate::auth::sealing`]), bound to their endpoint or
//! job; a delivery keeps the sealed copy and is opened with its source's binding. Rows from
//! before sealing (plaintext `whsec_…`) still sign, and [`seal_legacy_secrets`] seals them
//! at start-up.

use crate::auth::sealing::{SealError, SecretBox};
use crate::store::schema::webhook_deliveries::dsl as d;
use crate::store::schema::webhook_endpoints::dsl as ep;
use crate::store::{self, DbConn, MultiBackend, Store, StoreError};
use crate::tenancy::Scope;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const MAX_ATTEMPTS: i32 = 8;

/// The prefix of a sealed value ([`SecretBox::seal`]); legacy plaintext secrets start
/// with `whsec_`.
const SEALED_PREFIX: &str = "v1.";

/// The binding of an endpoint's sealed secret.
pub fn endpoint_context(tenant_id: &str, endpoint_id: &str) -> String {
    format!("webhook_endpoint:{tenant_id}:{endpoint_id}")
}

/// The binding of a job's own (`webhook_url`) sealed secret.
pub fn job_context(tenant_id: &str, job_id: &str) -> String {
    format!("job_webhook:{tenant_id}:{job_id}")
}

/// The binding a delivery's secret was sealed with: its endpoint's, else its job's.
fn delivery_context(row: &DeliveryRow) -> Option<String> {
    match (&row.endpoint_id, &row.job_id) {
        (Some(e), _) => Some(endpoint_context(&row.tenant_id, e)),
        (None, Some(j)) => Some(job_context(&row.tenant_id, j)),
        (None, None) => None,
    }
}

/// A stored secret in clear: sealed values are opened, legacy plaintext passes through.
pub fn open_secret(sealing: &SecretBox, stored: &str, context: &str) -> Result<String, SealError> {
    if stored.starts_with(SEALED_PREFIX) {
        sealing.open(stored, context)
    } else {
        Ok(stored.to_string())
    }
}

/// Seals the plaintext secrets left from before they were sealed (endpoints, jobs,
/// deliveries); returns how many rows were sealed. Idempotent.
pub fn seal_legacy_secrets(conn: &mut DbConn, sealing: &SecretBox) -> Result<usize, StoreError> {
    rewrite_secrets(conn, false, |secret, context| {
        Some(sealing.seal(secret, context))
    })
}

/// Re-seals with the current key the secrets only a previous key opens (endpoints, jobs,
/// deliveries) during a key rotation; returns how many rows changed. A secret no key opens is
/// left as it is and logged.
pub fn reseal_secrets(conn: &mut DbConn, sealing: &SecretBox) -> Result<usize, StoreError> {
    rewrite_secrets(conn, true, |stored, context| {
        match sealing.reseal(stored, context) {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(%context, error = %e, "a sealed webhook secret opens with no configured key");
                None
            }
        }
    })
}

/// Every stored webhook secret — sealed ones (`sealed`) or plaintext ones — of endpoints,
/// jobs and deliveries, replaced by what `rewrite(stored, context)` returns (None: left as
/// is); returns how many rows changed. The database picks the rows by prefix, so a start-up
/// with nothing to do reads nothing.
fn rewrite_secrets(
    conn: &mut DbConn,
    sealed: bool,
    mut rewrite: impl FnMut(&str, &str) -> Option<String>,
) -> Result<usize, StoreError> {
    use crate::store::schema::jobs::dsl as j;
    let prefix = format!("{SEALED_PREFIX}%");
    let mut changed = 0;
    let mut q = ep::webhook_endpoints.into_boxed::<MultiBackend>();
    q = if sealed {
        q.filter(ep::secret.like(prefix.clone()))
    } else {
        q.filter(ep::secret.not_like(prefix.clone()))
    };
    let endpoints: Vec<(String, String, String)> =
        q.select((ep::id, ep::tenant_id, ep::secret)).load(conn)?;
    for (id, tenant_id, secret) in endpoints {
        if let Some(v) = rewrite(&secret, &endpoint_context(&tenant_id, &id)) {
            changed += diesel::update(ep::webhook_endpoints.filter(ep::id.eq(&id)))
                .set(ep::secret.eq(v))
                .execute(conn)?;
        }
    }
    let mut q = j::jobs
        .filter(j::webhook_secret.is_not_null())
        .into_boxed::<MultiBackend>();
    q = if sealed {
        q.filter(j::webhook_secret.like(prefix.clone()))
    } else {
        q.filter(j::webhook_secret.not_like(prefix.clone()))
    };
    let jobs: Vec<(String, String, Option<String>)> = q
        .select((j::id, j::tenant_id, j::webhook_secret))
        .load(conn)?;
    for (id, tenant_id, secret) in jobs {
        let Some(secret) = secret else { continue };
        if let Some(v) = rewrite(&secret, &job_context(&tenant_id, &id)) {
            changed += diesel::update(j::jobs.filter(j::id.eq(&id)))
                .set(j::webhook_secret.eq(Some(v)))
                .execute(conn)?;
        }
    }
    let mut q = d::webhook_deliveries.into_boxed::<MultiBackend>();
    q = if sealed {
        q.filter(d::secret.like(prefix.clone()))
    } else {
        q.filter(d::secret.not_like(prefix.clone()))
    };
    let deliveries: Vec<DeliveryRow> = q.select(DeliveryRow::as_select()).load(conn)?;
    for row in deliveries {
        let Some(context) = delivery_context(&row) else {
            continue;
        };
        if let Some(v) = rewrite(&row.secret, &context) {
            changed += diesel::update(d::webhook_deliveries.filter(d::id.eq(&row.id)))
                .set(d::secret.eq(v))
                .execute(conn)?;
        }
    }
    Ok(changed)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::webhook_endpoints)]
pub struct EndpointRow {
    pub id: String,
    pub tenant_id: String,
    pub url: String,
    pub secret: String,
    /// Event types (JSON list); empty means every final job event.
    pub events: String,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// The user who registered it (none for endpoints from before this was kept).
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub tenant_id: String,
    pub job_id: Option<String>,
    pub endpoint_id: Option<String>,
    pub url: String,
    pub secret: String,
    pub event_type: String,
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

type EndpointsBoxed<'a> = crate::store::schema::webhook_endpoints::BoxedQuery<'a, MultiBackend>;
type DeliveriesBoxed<'a> = crate::store::schema::webhook_deliveries::BoxedQuery<'a, MultiBackend>;

fn endpoints_in(scope: &Scope) -> EndpointsBoxed<'static> {
    let q = ep::webhook_endpoints
        .filter(ep::deleted_at.is_null())
        .into_boxed();
    match scope {
        Scope::Tenant { tenant_id, .. } => q.filter(ep::tenant_id.eq(tenant_id.to_string())),
        Scope::System | Scope::Platform => q,
        // Webhooks belong to tenant users; resellers do not see them.
        Scope::Reseller { .. } => q.filter(ep::id.eq("")),
    }
}

fn deliveries_in(scope: &Scope) -> DeliveriesBoxed<'static> {
    let q = d::webhook_deliveries.into_boxed();
    match scope {
        Scope::Tenant { tenant_id, .. } => q.filter(d::tenant_id.eq(tenant_id.to_string())),
        Scope::System | Scope::Platform => q,
        Scope::Reseller { .. } => q.filter(d::id.eq("")),
    }
}

pub fn insert_endpoint(conn: &mut DbConn, row: &EndpointRow) -> Result<(), StoreError> {
    diesel::insert_into(ep::webhook_endpoints)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn list_endpoints(conn: &mut DbConn, scope: &Scope) -> Result<Vec<EndpointRow>, StoreError> {
    Ok(endpoints_in(scope)
        .order(ep::id.desc())
        .select(EndpointRow::as_select())
        .load(conn)?)
}

/// The endpoint `id` if the scope can see it.
pub fn get_endpoint(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<EndpointRow>, StoreError> {
    Ok(endpoints_in(scope)
        .filter(ep::id.eq(id.to_string()))
        .select(EndpointRow::as_select())
        .first(conn)
        .optional()?)
}

/// The tenant's endpoints that are not deleted.
pub fn count_endpoints(conn: &mut DbConn, tenant_id: &str) -> Result<i64, StoreError> {
    Ok(ep::webhook_endpoints
        .filter(ep::tenant_id.eq(tenant_id.to_string()))
        .filter(ep::deleted_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Deletes an endpoint the scope can see; false if there is none.
pub fn delete_endpoint(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<bool, StoreError> {
    if get_endpoint(conn, scope, id)?.is_none() {
        return Ok(false);
    }
    diesel::update(ep::webhook_endpoints.filter(ep::id.eq(id.to_string())))
        .set(ep::deleted_at.eq(Some(store::now())))
        .execute(conn)?;
    Ok(true)
}

pub fn list_deliveries(
    conn: &mut DbConn,
    scope: &Scope,
    job_id: Option<&str>,
    limit: i64,
) -> Result<Vec<DeliveryRow>, StoreError> {
    let mut q = deliveries_in(scope);
    if let Some(j) = job_id {
        q = q.filter(d::job_id.eq(j.to_string()));
    }
    Ok(q.order(d::id.desc())
        .limit(limit)
        .select(DeliveryRow::as_select())
        .load(conn)?)
}

/// Queues the deliveries announcing a job's final state (called by the queue, in the
/// transaction that sets it).
pub fn enqueue_for_job(
    conn: &mut DbConn,
    job_id: &str,
    state: &str,
    error: Option<&str>,
) -> Result<(), StoreError> {
    use crate::store::schema::jobs::dsl as j;
    let (tenant_id, url, secret, completed_at): (
        String,
        Option<String>,
        Option<String>,
        Option<NaiveDateTime>,
    ) = j::jobs
        .filter(j::id.eq(job_id.to_string()))
        .select((
            j::tenant_id,
            j::webhook_url,
            j::webhook_secret,
            j::completed_at,
        ))
        .first(conn)?;
    let event_type = format!("job.{state}");
    let payload = serde_json::json!({
        "type": event_type,
        "time": chrono::Utc::now(),
        "job": {"id": job_id, "status": state, "error": error, "completed_at": completed_at.map(|t| t.and_utc()), "url": format!("/v1/jobs/{job_id}")},
    })
    .to_string();
    let mut targets: Vec<(Option<String>, String, String)> = Vec::new();
    if let (Some(url), Some(secret)) = (url, secret) {
        targets.push((None, url, secret));
    }
    let endpoints: Vec<EndpointRow> = ep::webhook_endpoints
        .filter(ep::tenant_id.eq(&tenant_id))
        .filter(ep::deleted_at.is_null())
        .select(EndpointRow::as_select())
        .load(conn)?;
    for e in endpoints {
        let events: Vec<String> = serde_json::from_str(&e.events).unwrap_or_default();
        if events.is_empty() || events.contains(&event_type) {
            targets.push((Some(e.id), e.url, e.secret));
        }
    }
    let now = store::now();
    for (endpoint_id, url, secret) in targets {
        diesel::insert_into(d::webhook_deliveries)
            .values(&DeliveryRow {
                id: store::new_id(),
                tenant_id: tenant_id.clone(),
                job_id: Some(job_id.to_string()),
                endpoint_id,
                url,
                secret,
                event_type: event_type.clone(),
                payload: payload.clone(),
                status: "pending".into(),
                attempts: 0,
                next_attempt_at: now,
                last_status: None,
                last_error: None,
                created_at: now,
                delivered_at: None,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// `t=<unix>,v1=<hex hmac>` over `"<t>.<body>"`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// How the sender runs (from settings).
#[derive(Debug, Clone)]
pub struct SenderOptions {
    pub allow_private: bool,
    /// First retry delay (doubling per attempt).
    pub retry_base: Duration,
    /// Attempts in flight at once, all tenants together.
    pub concurrency: usize,
    /// Attempts in flight at once for one tenant.
    pub tenant_concurrency: usize,
    /// Longest wait for a connection, per attempt.
    pub connect_timeout: Duration,
    /// Longest attempt in all (connecting, sending, reading the status).
    pub timeout: Duration,
}

impl Default for SenderOptions {
    fn default() -> Self {
        Self {
            allow_private: false,
            retry_base: Duration::from_secs(5),
            concurrency: 16,
            tenant_concurrency: 2,
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(10),
        }
    }
}

impl SenderOptions {
    /// How far a claim pushes `next_attempt_at` ahead: well past the longest attempt.
    fn lease(&self) -> TimeDelta {
        TimeDelta::seconds(60.max(2 * self.timeout.as_secs() as i64 + 10))
    }
}

/// Claims up to `free` due deliveries, fairly: tenants with due deliveries are visited in
/// random order, each given at most its free slots (`tenant_cap` minus what it has in
/// flight, `busy`), one delivery per tenant per turn. Each claim moves the delivery's next
/// attempt ahead by `lease`.
fn claim_batch(
    conn: &mut DbConn,
    busy: &HashMap<String, usize>,
    tenant_cap: usize,
    free: usize,
    lease: TimeDelta,
) -> Result<Vec<DeliveryRow>, StoreError> {
    use rand::seq::SliceRandom;
    let now = store::now();
    let mut tenants: Vec<String> = d::webhook_deliveries
        .filter(d::status.eq("pending"))
        .filter(d::next_attempt_at.le(now))
        .select(d::tenant_id)
        .distinct()
        .limit(10_000)
        .load(conn)?;
    tenants.retain(|t| busy.get(t).copied().unwrap_or(0) < tenant_cap);
    tenants.shuffle(&mut rand::rng());
    let mut queues: Vec<VecDeque<DeliveryRow>> = Vec::new();
    for tenant in tenants.into_iter().take(free) {
        let slots = tenant_cap - busy.get(&tenant).copied().unwrap_or(0);
        let rows: Vec<DeliveryRow> = d::webhook_deliveries
            .filter(d::tenant_id.eq(&tenant))
            .filter(d::status.eq("pending"))
            .filter(d::next_attempt_at.le(now))
            .order((d::next_attempt_at.asc(), d::id.asc()))
            .limit(slots.min(free) as i64)
            .select(DeliveryRow::as_select())
            .load(conn)?;
        queues.push(rows.into());
    }
    let mut claimed = Vec::new();
    while claimed.len() < free && queues.iter().any(|q| !q.is_empty()) {
        for q in queues.iter_mut() {
            if claimed.len() == free {
                break;
            }
            let Some(row) = q.pop_front() else { continue };
            let n = diesel::update(
                d::webhook_deliveries
                    .filter(d::id.eq(&row.id))
                    .filter(d::status.eq("pending"))
                    .filter(d::next_attempt_at.eq(row.next_attempt_at)),
            )
            .set((
                d::next_attempt_at.eq(now + lease),
                d::attempts.eq(row.attempts + 1),
            ))
            .execute(conn)?;
            if n == 1 {
                claimed.push(DeliveryRow {
                    attempts: row.attempts + 1,
                    ..row
                });
            }
        }
    }
    Ok(claimed)
}

fn record(
    conn: &mut DbConn,
    row: &DeliveryRow,
    outcome: Result<u16, String>,
    retry_base: Duration,
) -> Result<(), StoreError> {
    let now = store::now();
    match outcome {
        Ok(status) if (200..300).contains(&status) => {
            diesel::update(d::webhook_deliveries.filter(d::id.eq(&row.id)))
                .set((
                    d::status.eq("delivered"),
                    d::last_status.eq(Some(i32::from(status))),
                    d::last_error.eq(None::<String>),
                    d::delivered_at.eq(Some(now)),
                ))
                .execute(conn)?;
        }
        other => {
            let (code, error) = match other {
                Ok(status) => (
                    Some(i32::from(status)),
                    format!("the endpoint answered {status}"),
                ),
                Err(e) => (None, e),
            };
            let give_up = row.attempts >= MAX_ATTEMPTS;
            let delay = retry_base.as_secs_f64() * 2f64.powi(row.attempts - 1);
            let next = now + TimeDelta::milliseconds((delay.min(3600.0) * 1000.0) as i64);
            diesel::update(d::webhook_deliveries.filter(d::id.eq(&row.id)))
                .set((
                    d::status.eq(if give_up { "failed" } else { "pending" }),
                    d::last_status.eq(code),
                    d::last_error.eq(Some(error)),
                    d::next_attempt_at.eq(next),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn send(row: &DeliveryRow, secret: &str, opts: &SenderOptions) -> Result<u16, String> {
    let allowed = crate::fetch::policy(opts.allow_private);
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_connect(Some(opts.connect_timeout))
        .timeout_global(Some(opts.timeout))
        .user_agent(concat!("voxflow-webhooks/", env!("CARGO_PKG_VERSION")))
        .build();
    // Connects only to the addresses the SSRF guard checked (no DNS rebinding).
    let agent = crate::fetch::pinned_agent(&row.url, config, &allowed, crate::fetch::system_dns())
        .map_err(|e| e.to_string())?;
    let timestamp = chrono::Utc::now().timestamp();
    let response = agent
        .post(&row.url)
        .header("Content-Type", "application/json")
        .header(
            "Voxflow-Signature",
            signature(secret, timestamp, &row.payload),
        )
        .header("Voxflow-Event", &row.event_type)
        .header("Voxflow-Delivery", &row.id)
        .send(row.payload.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

/// One attempt: open the secret, send, return the outcome.
fn attempt(row: &DeliveryRow, sealing: &SecretBox, opts: &SenderOptions) -> Result<u16, String> {
    let context = delivery_context(row).unwrap_or_default();
    let secret = open_secret(sealing, &row.secret, &context)
        .map_err(|e| format!("the signing secret cannot be opened: {e}"))?;
    send(row, &secret, opts)
}

/// Attempts in flight, per tenant; a slot is given back when its guard drops (even if the
/// attempt's task panicked).
#[derive(Default)]
struct InFlight(Mutex<HashMap<String, usize>>);

impl InFlight {
    fn snapshot(&self) -> HashMap<String, usize> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn take(self: &Arc<Self>, tenant: &str) -> Slot {
        *self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(tenant.to_string())
            .or_insert(0) += 1;
        Slot {
            owner: self.clone(),
            tenant: tenant.to_string(),
        }
    }
}

struct Slot {
    owner: Arc<InFlight>,
    tenant: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut map = self.owner.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.tenant) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.tenant);
            }
        }
    }
}

/// Sends due deliveries until the task is dropped: claims fairly as slots free up and runs
/// each attempt on the blocking pool.
pub async fn run_sender(store: Store, sealing: Arc<SecretBox>, opts: SenderOptions) {
    let opts = Arc::new(SenderOptions {
        concurrency: opts.concurrency.max(1),
        tenant_concurrency: opts.tenant_concurrency.max(1),
        ..opts
    });
    let global = Arc::new(tokio::sync::Semaphore::new(opts.concurrency));
    let in_flight = Arc::new(InFlight::default());
    let finished = Arc::new(tokio::sync::Notify::new());
    loop {
        let free = global.available_permits();
        if free == 0 {
            let _ = tokio::time::timeout(Duration::from_millis(500), finished.notified()).await;
            continue;
        }
        let busy = in_flight.snapshot();
        let (cap, lease) = (opts.tenant_concurrency, opts.lease());
        let claimed = store
            .write(Scope::System, move |c| {
                claim_batch(c, &busy, cap, free, lease)
            })
            .await;
        match claimed {
            Ok(rows) if rows.is_empty() => {
                let _ = tokio::time::timeout(Duration::from_millis(500), finished.notified()).await;
            }
            Ok(rows) => {
                for row in rows {
                    let Ok(permit) = global.clone().try_acquire_owned() else {
                        break; // cannot happen: at most `free` rows were claimed
                    };
                    let slot = in_flight.take(&row.tenant_id);
                    let (store, sealing, opts, finished) = (
                        store.clone(),
                        sealing.clone(),
                        opts.clone(),
                        finished.clone(),
                    );
                    tokio::spawn(async move {
                        let to_send = row.clone();
                        let retry_base = opts.retry_base;
                        let outcome =
                            tokio::task::spawn_blocking(move || attempt(&to_send, &sealing, &opts))
                                .await
                                .unwrap_or_else(|e| Err(e.to_string()));
                        if let Err(e) = &outcome {
                            tracing::info!(delivery = %row.id, tenant_id = %row.tenant_id, error = %e, "webhook attempt failed");
                        }
                        if let Err(e) = store
                            .write(Scope::System, move |c| record(c, &row, outcome, retry_base))
                            .await
                        {
                            tracing::warn!(error = %e, "webhook outcome not recorded");
                        }
                        drop(slot);
                        drop(permit);
                        finished.notify_one();
                    });
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "webhook sender");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_over_timestamp_and_body() {
        // Known value: HMAC-SHA256(key="secret", "1700000000.{}").
        let sig = signature("secret", 1_700_000_000, "{}");
        assert!(sig.starts_with("t=1700000000,v1="));
        assert_eq!(sig.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(sig, signature("other", 1_700_000_000, "{}"));
        assert_ne!(sig, signature("secret", 1_700_000_001, "{}"));
    }
}
