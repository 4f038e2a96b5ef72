//! Webhooks: a signed POST when a job reaches a final state.
//!
//! Deliveries are an outbox: the transaction that finishes a job also writes one row per
//! target (the job's `webhook_url`, and every tenant endpoint subscribed to the event), so
//! no final state goes unannounced even if the process dies right after. A background task
//! sends due deliveries; a failed attempt is retried with exponential backoff
//! (`base × 2^attempt`, capped at an hour) up to 8 attempts, then marked `failed`. A claim
//! pushes `next_attempt_at` a minute ahead, so a delivery whose sender died is picked up
//! again. Every request carries `Voxflow-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
//! "<t>.<body>" with the target's secret>`, plus `Voxflow-Event` and `Voxflow-Delivery`.
//! Destinations pass the same SSRF guard as URL inputs.

use crate::store::schema::webhook_deliveries::dsl as d;
use crate::store::schema::webhook_endpoints::dsl as ep;
use crate::store::{self, DbConn, MultiBackend, Store, StoreError};
use crate::tenancy::Scope;
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

pub const MAX_ATTEMPTS: i32 = 8;

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

/// Deletes an endpoint the scope can see; false if there is none.
pub fn delete_endpoint(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<bool, StoreError> {
    let found = endpoints_in(scope)
        .filter(ep::id.eq(id.to_string()))
        .select(ep::id)
        .first::<String>(conn)
        .optional()?;
    if found.is_none() {
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

/// Claims one due delivery (moving its next attempt a minute ahead as a lease).
fn claim(conn: &mut DbConn) -> Result<Option<DeliveryRow>, StoreError> {
    let now = store::now();
    let Some(row) = d::webhook_deliveries
        .filter(d::status.eq("pending"))
        .filter(d::next_attempt_at.le(now))
        .order(d::next_attempt_at.asc())
        .select(DeliveryRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let n = diesel::update(
        d::webhook_deliveries
            .filter(d::id.eq(&row.id))
            .filter(d::status.eq("pending"))
            .filter(d::next_attempt_at.eq(row.next_attempt_at)),
    )
    .set((
        d::next_attempt_at.eq(now + TimeDelta::seconds(60)),
        d::attempts.eq(row.attempts + 1),
    ))
    .execute(conn)?;
    Ok((n == 1).then(|| DeliveryRow {
        attempts: row.attempts + 1,
        ..row
    }))
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

fn send(row: &DeliveryRow, allow_private: bool) -> Result<u16, String> {
    let allowed = crate::fetch::policy(allow_private);
    let config = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(15)))
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
            signature(&row.secret, timestamp, &row.payload),
        )
        .header("Voxflow-Event", &row.event_type)
        .header("Voxflow-Delivery", &row.id)
        .send(row.payload.as_bytes())
        .map_err(|e| e.to_string())?;
    Ok(response.status().as_u16())
}

/// Sends due deliveries until the task is dropped.
pub async fn run_sender(store: Store, allow_private: bool, retry_base: Duration) {
    loop {
        let claimed = store.write(Scope::System, claim).await;
        match claimed {
            Ok(Some(row)) => {
                let to_send = row.clone();
                let outcome = tokio::task::spawn_blocking(move || send(&to_send, allow_private))
                    .await
                    .unwrap_or_else(|e| Err(e.to_string()));
                if let Err(e) = &outcome {
                    tracing::info!(delivery = %row.id, error = %e, "webhook attempt failed");
                }
                if let Err(e) = store
                    .write(Scope::System, move |c| record(c, &row, outcome, retry_base))
                    .await
                {
                    tracing::warn!(error = %e, "webhook outcome not recorded");
                }
            }
            Ok(None) => tokio::time::sleep(Duration::from_millis(500)).await,
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
