//! PostgreSQL `LISTEN voxflow_job_events` → the hub, `LISTEN voxflow_branding` → the
//! branding cache, and `LISTEN voxflow_auth` → the credential cache's epoch.
//!
//! A dedicated thread holds its own connection (not a pool one), listens, and polls for
//! notifications every 50 ms (libpq only reads them while a query runs, so the poll is a
//! `SELECT 1`). It reconnects with backoff when the connection drops; every (re)connection
//! empties the branding and credential caches, since changes made while it was away went
//! unheard.

use crate::branding::cache::BrandingCache;
use crate::store::repo::jobs::JobEventRow;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub const CHANNEL: &str = "voxflow_job_events";
/// Announced by the branding tables' triggers (and by tenants being deleted or moved).
pub const BRANDING_CHANNEL: &str = "voxflow_branding";
/// Announced by the `auth_changes` triggers (accounts, memberships, tenants, resellers,
/// plans, API keys).
pub const AUTH_CHANNEL: &str = "voxflow_auth";

#[derive(serde::Deserialize)]
struct Payload {
    job_id: String,
    seq: i64,
    tenant_id: String,
    event_type: String,
    data: Option<String>,
    at: chrono::NaiveDateTime,
    #[serde(default)]
    truncated: bool,
}

/// Starts the listener thread; it stops when `stop` is set.
pub fn spawn(
    url: String,
    store: crate::store::Store,
    branding: Arc<BrandingCache>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("voxflow-listen".into())
        .spawn(move || {
            let mut backoff = Duration::from_millis(200);
            while !stop.load(Ordering::Relaxed) {
                match listen(&url, &store, &branding, &stop) {
                    Ok(()) => return,
                    Err(e) => {
                        tracing::warn!(error = %e, "job event listener lost its connection; reconnecting");
                        std::thread::sleep(backoff);
                        backoff = (backoff * 2).min(Duration::from_secs(10));
                    }
                }
            }
        })
        .expect("spawn listener thread")
}

fn listen(
    url: &str,
    store: &crate::store::Store,
    branding: &BrandingCache,
    stop: &AtomicBool,
) -> Result<(), String> {
    let hub = store.hub();
    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
    conn.batch_execute(&format!(
        "LISTEN {CHANNEL}; LISTEN {BRANDING_CHANNEL}; LISTEN {AUTH_CHANNEL}"
    ))
    .map_err(|e| e.to_string())?;
    branding.invalidate();
    store.auth_changed();
    // From here every committed event is heard: polls may be answered from memory, and
    // sessions catch up on what was committed while no one listened.
    hub.latest().set_live(true);
    hub.resync_all();
    let heard = listen_loop(&mut conn, store, branding, stop);
    hub.latest().set_live(false);
    heard
}

fn listen_loop(
    conn: &mut PgConnection,
    store: &crate::store::Store,
    branding: &BrandingCache,
    stop: &AtomicBool,
) -> Result<(), String> {
    let hub = store.hub();
    tracing::debug!("listening for job events and branding changes");
    while !stop.load(Ordering::Relaxed) {
        conn.batch_execute("SELECT 1").map_err(|e| e.to_string())?;
        let notes: Vec<_> = conn.notifications_iter().collect();
        for note in notes {
            let note = note.map_err(|e| e.to_string())?;
            if note.channel == BRANDING_CHANNEL {
                branding.invalidate();
                continue;
            }
            if note.channel == AUTH_CHANNEL {
                store.auth_changed();
                continue;
            }
            match serde_json::from_str::<Payload>(&note.payload) {
                Ok(p) => {
                    let data = match (p.data, p.truncated) {
                        (Some(d), false) => d,
                        _ => fetch_data(conn, &p.job_id, p.seq).unwrap_or_else(|| "{}".into()),
                    };
                    hub.publish(JobEventRow {
                        job_id: p.job_id,
                        seq: p.seq,
                        tenant_id: p.tenant_id,
                        event_type: p.event_type,
                        data,
                        at: p.at,
                    });
                }
                Err(e) => tracing::warn!(error = %e, "unreadable job event notification"),
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Reads a large event's data (RLS: the listener reads in the system scope).
fn fetch_data(conn: &mut PgConnection, job_id: &str, seq: i64) -> Option<String> {
    use crate::store::schema::job_events::dsl as e;
    use diesel::prelude::*;
    conn.transaction::<_, diesel::result::Error, _>(|c| {
        c.batch_execute("SELECT set_config('voxflow.scope', 'system', true)")?;
        e::job_events
            .filter(e::job_id.eq(job_id))
            .filter(e::seq.eq(seq))
            .select(e::data)
            .first::<String>(c)
    })
    .ok()
}
