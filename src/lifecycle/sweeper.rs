//! The sweeper: what the data lifecycle removes on a schedule (docs/data-lifecycle.md).
//!
//! - **Deleted tenants**, once their grace period (`VOXFLOW_TENANT_PURGE_GRACE_SECS`) has
//!   passed: their files on disk, then their jobs, events, artifacts, workflows, keys,
//!   webhooks, engines, presets, branding and memberships in the database, and their
//!   members' accounts that belonged nowhere else are erased. Usage, invoices, plan history
//!   and the audit log stay, as billing and the record need them; `tenants.purged_at` and a
//!   `tenant.purge` audit entry say it happened.
//! - **Retention**: files uploaded and job artifacts made more than the tenant's retention
//!   (`retention_days`, the tenant's own or its plan's) ago, except what an unfinished job
//!   still needs.
//! - **Data exports** past their download window (`VOXFLOW_EXPORT_TTL_SECS`): the archive
//!   removed, the row kept as `expired`.
//! - **Orphans**: stored objects no row needs, last written more than [`ORPHAN_GRACE`] ago —
//!   what a process killed between storing bytes and committing their row left, or a
//!   removal that failed — and, on local storage, the staging files of uploads whose process
//!   was killed mid-upload. (This lists the whole store once per sweep.)
//!
//! Every step is idempotent and safe to run from several processes at once: a second
//! sweeper finds nothing left to do, or does the same deletes again.

use crate::audit::{self, Actor, Event};
use crate::storage::BlobStore;
use crate::store::repo;
use crate::store::{Store, StoreError};
use crate::tenancy::Scope;
use chrono::{NaiveDateTime, TimeDelta};
use std::collections::HashSet;
use std::time::Duration;

/// Files expired per transaction (a tenant with more is finished by the next batches).
const FILE_BATCH: i64 = 500;
/// How old an object without a row must be before it counts as an orphan: longer than any
/// upload or export build takes between storing its bytes and committing its row.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3600);
/// Stored keys checked against the database per query.
const ORPHAN_BATCH: usize = 500;

#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// How long a deleted tenant waits before its purge, for tenants deleted before purge
    /// dates were recorded (newer ones carry theirs).
    pub purge_grace: TimeDelta,
}

impl SweepOptions {
    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        SweepOptions {
            purge_grace: TimeDelta::seconds(settings.tenant_purge_grace_secs),
        }
    }
}

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub tenants_purged: usize,
    /// Deleted tenants due but not purged yet: a job of theirs was still running (it was
    /// asked to stop) or their files could not be removed.
    pub tenants_waiting: usize,
    pub files_expired: usize,
    pub artifacts_expired: usize,
    /// Data export archives past their download window.
    pub exports_expired: usize,
    /// Stored objects and staging files no row needed (see the module docs).
    pub orphans_removed: usize,
}

/// Runs one sweep as of `now`.
pub async fn sweep(
    store: &Store,
    blobs: &BlobStore,
    opts: &SweepOptions,
    now: NaiveDateTime,
) -> Result<SweepReport, StoreError> {
    let mut report = SweepReport::default();
    let grace = opts.purge_grace;
    let due = store
        .write(Scope::System, move |c| {
            repo::tenants::schedule_unscheduled_purges(c, grace)?;
            repo::tenants::due_for_purge(c, now)
        })
        .await?;
    for tenant in due {
        if purge_tenant(store, blobs, &tenant, now).await? {
            report.tenants_purged += 1;
        } else {
            report.tenants_waiting += 1;
        }
    }
    let expired_exports = store
        .write(Scope::System, move |c| {
            repo::data_exports::expire_due(c, now)
        })
        .await?;
    report.exports_expired = expired_exports.len();
    remove_export_archives(blobs, expired_exports).await;
    let expiring = store
        .read(Scope::System, repo::tenants::with_retention)
        .await?;
    for (tenant_id, days) in expiring {
        let cutoff = now - TimeDelta::days(i64::from(days));
        let (files, artifacts) = expire_tenant(store, blobs, &tenant_id, days, cutoff).await?;
        report.files_expired += files;
        report.artifacts_expired += artifacts;
    }
    report.orphans_removed = remove_orphans(store, blobs, ORPHAN_GRACE).await?;
    Ok(report)
}

/// Removes stored objects that no row needs and staging files of killed uploads, once
/// older than `grace`; returns how many.
pub async fn remove_orphans(
    store: &Store,
    blobs: &BlobStore,
    grace: Duration,
) -> Result<usize, StoreError> {
    let io_error = |e: std::io::Error| StoreError::Query(format!("listing stored objects: {e}"));
    let cutoff = chrono::Utc::now() - TimeDelta::from_std(grace).unwrap_or(TimeDelta::MAX);
    let keys = blobs.keys_older_than(cutoff).await.map_err(io_error)?;
    let mut removed = 0;
    for batch in keys.chunks(ORPHAN_BATCH) {
        let batch = batch.to_vec();
        let orphans = store
            .read(Scope::System, move |c| {
                let (exports, files): (Vec<&String>, Vec<&String>) =
                    batch.iter().partition(|k| k.ends_with(".zip"));
                let files: Vec<String> = files.into_iter().cloned().collect();
                let live: HashSet<String> =
                    repo::files::live_keys(c, &files)?.into_iter().collect();
                let export_id = |k: &str| {
                    k.rsplit('/')
                        .next()
                        .and_then(|n| n.strip_suffix(".zip"))
                        .map(String::from)
                        .unwrap_or_default()
                };
                let ids: Vec<String> = exports.iter().map(|k| export_id(k)).collect();
                let live_exports: HashSet<String> =
                    repo::data_exports::live_ids(c, &ids)?.into_iter().collect();
                Ok(files
                    .into_iter()
                    .filter(|k| !live.contains(k))
                    .chain(
                        exports
                            .into_iter()
                            .filter(|k| !live_exports.contains(&export_id(k)))
                            .cloned(),
                    )
                    .collect::<Vec<String>>())
            })
            .await?;
        for key in orphans {
            match blobs.remove(&key).await {
                Ok(()) => {
                    tracing::info!(storage_key = %key, "removed a stored object no row needs");
                    removed += 1;
                }
                Err(e) => {
                    tracing::error!(error = %e, storage_key = %key, "cannot remove an orphan")
                }
            }
        }
    }
    let staged_before = std::time::SystemTime::now()
        .checked_sub(grace)
        .unwrap_or(std::time::UNIX_EPOCH);
    removed += blobs
        .remove_stale_staging(staged_before)
        .await
        .map_err(io_error)? as usize;
    Ok(removed)
}

/// Sweeps every `interval` until the process ends; a failed sweep is logged and retried
/// at the next tick.
pub async fn run(store: Store, blobs: BlobStore, opts: SweepOptions, interval: Duration) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match sweep(&store, &blobs, &opts, crate::store::now()).await {
            Ok(r) if r != SweepReport::default() => tracing::info!(
                tenants_purged = r.tenants_purged,
                tenants_waiting = r.tenants_waiting,
                files_expired = r.files_expired,
                artifacts_expired = r.artifacts_expired,
                exports_expired = r.exports_expired,
                orphans_removed = r.orphans_removed,
                "sweep done"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "sweep failed; retrying at the next interval"),
        }
    }
}

/// Purges one deleted tenant; `false` when it has to wait for a later sweep.
async fn purge_tenant(
    store: &Store,
    blobs: &BlobStore,
    tenant: &repo::tenants::TenantRow,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let id = tenant.id.clone();
    // Work still running is asked to stop; the purge waits until it has.
    let unfinished = store
        .write(Scope::System, {
            let id = id.clone();
            move |c| crate::engine::queue::stop_tenant_jobs(c, &id)
        })
        .await?;
    if unfinished > 0 {
        tracing::info!(tenant_id = %id, jobs = unfinished, "purge waits for running jobs to stop");
        return Ok(false);
    }
    // Bytes first: if the database step fails, the next sweep finds the tenant due again
    // (and no file left to miss); the other order could leave files no row points to.
    if let Err(e) = blobs.remove_tenant(parse_id(&id)?).await {
        tracing::error!(tenant_id = %id, error = %e, "cannot remove a purged tenant's files");
        return Ok(false);
    }
    let reseller_id = tenant.reseller_id.clone();
    let archives = store
        .write(Scope::System, move |c| {
            let counts = repo::tenant_data::purge(c, &id)?;
            let mut erased = 0;
            let mut archives = Vec::new();
            for user in repo::users::deleted_of_home_tenant(c, &id)? {
                archives.extend(super::erasure::erase(c, &user, now)?.export_archives);
                erased += 1;
            }
            repo::tenants::mark_purged(c, &id, now)?;
            let deleted: serde_json::Map<String, serde_json::Value> = counts
                .into_iter()
                .map(|(table, n)| (table.to_string(), n.into()))
                .collect();
            audit::record(
                c,
                &Actor::default(),
                Event {
                    action: "tenant.purge",
                    target_type: "tenant",
                    target_id: Some(id.clone()),
                    tenant_id: Some(id.clone()),
                    reseller_id,
                    details: serde_json::json!({"deleted": deleted, "users_erased": erased}),
                },
            )?;
            Ok(archives)
        })
        .await?;
    remove_export_archives(blobs, archives).await;
    Ok(true)
}

/// Expires a tenant's files and artifacts older than `cutoff`; returns how many of each.
async fn expire_tenant(
    store: &Store,
    blobs: &BlobStore,
    tenant_id: &str,
    days: i32,
    cutoff: NaiveDateTime,
) -> Result<(usize, usize), StoreError> {
    let mut files = 0;
    let mut artifacts = 0;
    loop {
        let t = tenant_id.to_string();
        let (keys, n_files, n_artifacts, more) = store
            .write(Scope::System, move |c| {
                // What unfinished jobs read or resume from stays until they end.
                let unfinished = repo::tenant_data::unfinished_jobs(c, &t)?;
                let needed: HashSet<String> = unfinished.iter().flat_map(input_files).collect();
                let running: Vec<String> = unfinished.into_iter().map(|j| j.id).collect();
                let candidates = repo::files::uploaded_before(c, &t, cutoff, FILE_BATCH)?;
                let more = candidates.len() as i64 == FILE_BATCH;
                let now = crate::store::now();
                let mut keys = Vec::new();
                for f in candidates.into_iter().filter(|f| !needed.contains(&f.id)) {
                    repo::files::mark_deleted(c, &f.id, now)?;
                    keys.push(f.storage_key);
                }
                // Another batch only when this one made progress (files an unfinished job
                // holds are skipped, and would be found again forever); artifacts go in the
                // last batch (one delete covers them all).
                let another = more && !keys.is_empty();
                let n_artifacts = if another {
                    0
                } else {
                    repo::jobs::delete_artifacts_before(c, &t, cutoff, &running)?
                };
                if !keys.is_empty() || n_artifacts > 0 {
                    audit::record(
                        c,
                        &Actor::default(),
                        Event {
                            action: "retention.purge",
                            target_type: "tenant",
                            target_id: Some(t.clone()),
                            tenant_id: Some(t.clone()),
                            reseller_id: None,
                            details: serde_json::json!({
                                "retention_days": days,
                                "files": keys.len(),
                                "artifacts": n_artifacts,
                            }),
                        },
                    )?;
                }
                let n_files = keys.len();
                Ok((keys, n_files, n_artifacts, another))
            })
            .await?;
        files += n_files;
        artifacts += n_artifacts;
        // After the commit: a failed removal leaves an unreferenced blob, never a row
        // pointing at nothing.
        for key in keys {
            if let Err(e) = blobs.remove(&key).await {
                tracing::error!(error = %e, storage_key = %key, "cannot remove an expired file");
            }
        }
        if !more {
            return Ok((files, artifacts));
        }
    }
}

/// Removes export archives whose rows are gone or expired (after their commit: a failed
/// removal leaves an unreferenced file, never a row pointing at nothing).
pub async fn remove_export_archives(blobs: &BlobStore, keys: Vec<String>) {
    for key in keys {
        if let Err(e) = blobs.remove(&key).await {
            tracing::error!(error = %e, storage_key = %key, "cannot remove an export archive");
        }
    }
}

/// The file ids a job's inputs name (`{"<node>": {"file_id": "…"}}`).
fn input_files(job: &repo::jobs::JobRow) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(&job.inputs)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .map(|inputs| {
            inputs
                .values()
                .filter_map(|i| i.get("file_id").and_then(|f| f.as_str()).map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn parse_id(id: &str) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::parse_str(id)
        .map_err(|_| StoreError::Query(format!("tenant id {id:?} is not a UUID")))
}

/// When a file or artifact made at `created_at` expires under `retention_days`.
pub fn expires_at(created_at: NaiveDateTime, retention_days: Option<i32>) -> Option<NaiveDateTime> {
    retention_days.map(|d| created_at + TimeDelta::days(i64::from(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_creation_plus_whole_days_or_never() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_opt(10, 30, 0))
            .expect("date");
        assert_eq!(expires_at(at, None), None);
        assert_eq!(
            expires_at(at, Some(30)).map(|e| e.to_string()),
            Some("2027-01-01 10:30:00".to_string())
        );
    }
}
