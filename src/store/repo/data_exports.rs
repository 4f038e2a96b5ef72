//! `data_exports`: requested archives of a tenant or of one person's data, and their state
//! (docs/data-export.md). Building them is `crate::lifecycle::export`.

use super::{Page, PageRequest};
use crate::store::schema::data_exports::dsl as d;
use crate::store::{DbConn, StoreError};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::data_exports)]
pub struct ExportRow {
    pub id: String,
    /// `tenant` or `user`.
    pub kind: String,
    pub tenant_id: Option<String>,
    pub subject_user_id: Option<String>,
    pub requested_by: String,
    /// `queued`, `running`, `succeeded`, `failed` or `expired`.
    pub status: String,
    pub attempts: i32,
    pub error: Option<String>,
    pub storage_key: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub expires_at: Option<NaiveDateTime>,
}

impl ExportRow {
    pub fn queued(
        kind: &str,
        tenant_id: Option<String>,
        subject_user_id: Option<String>,
        requested_by: String,
        now: NaiveDateTime,
    ) -> Self {
        ExportRow {
            id: uuid::Uuid::now_v7().to_string(),
            kind: kind.into(),
            tenant_id,
            subject_user_id,
            requested_by,
            status: "queued".into(),
            attempts: 0,
            error: None,
            storage_key: None,
            size_bytes: None,
            sha256: None,
            created_at: now,
            started_at: None,
            finished_at: None,
            expires_at: None,
        }
    }
}

/// A built archive, as recorded when it succeeds.
#[derive(Debug, Clone)]
pub struct Built {
    pub storage_key: String,
    pub size_bytes: i64,
    pub sha256: String,
}

pub fn insert(conn: &mut DbConn, row: &ExportRow) -> Result<(), StoreError> {
    diesel::insert_into(d::data_exports)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The export of the same subject, by the same requester, still queued or running.
pub fn unfinished_of(conn: &mut DbConn, like: &ExportRow) -> Result<Option<ExportRow>, StoreError> {
    let mut q = d::data_exports
        .filter(d::kind.eq(like.kind.clone()))
        .filter(d::status.eq_any(["queued", "running"]))
        .into_boxed();
    q = match (&like.tenant_id, &like.subject_user_id) {
        (Some(t), _) => q.filter(d::tenant_id.eq(t.clone())),
        (None, Some(u)) => q
            .filter(d::subject_user_id.eq(u.clone()))
            .filter(d::requested_by.eq(like.requested_by.clone())),
        (None, None) => return Ok(None),
    };
    Ok(q.select(ExportRow::as_select()).first(conn).optional()?)
}

/// Any export by id, for the service (the API checks who may see it).
pub fn get(conn: &mut DbConn, id: &str) -> Result<Option<ExportRow>, StoreError> {
    Ok(d::data_exports
        .filter(d::id.eq(id.to_string()))
        .select(ExportRow::as_select())
        .first(conn)
        .optional()?)
}

/// A tenant's exports, newest first (the caller has checked the tenant is visible to it).
pub fn of_tenant(
    conn: &mut DbConn,
    tenant_id: &str,
    page: &PageRequest,
) -> Result<Page<ExportRow>, StoreError> {
    let mut q = d::data_exports
        .filter(d::tenant_id.eq(tenant_id.to_string()))
        .into_boxed();
    if let Some(after) = &page.after {
        q = q.filter(d::id.lt(after.clone()));
    }
    let rows = q
        .order(d::id.desc())
        .limit(page.limit + 1)
        .select(ExportRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |r| r.id.clone()))
}

/// Personal exports someone asked for, newest first.
pub fn requested_by(
    conn: &mut DbConn,
    user_id: &str,
    page: &PageRequest,
) -> Result<Page<ExportRow>, StoreError> {
    let mut q = d::data_exports
        .filter(d::kind.eq("user"))
        .filter(d::requested_by.eq(user_id.to_string()))
        .into_boxed();
    if let Some(after) = &page.after {
        q = q.filter(d::id.lt(after.clone()));
    }
    let rows = q
        .order(d::id.desc())
        .limit(page.limit + 1)
        .select(ExportRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |r| r.id.clone()))
}

/// Claims the oldest export waiting to be built, or one whose builder has not finished
/// within `stale` (a crashed process); `None` when there is none. The conditional update
/// makes one claimant win when several processes race for the same row.
pub fn claim_next(
    conn: &mut DbConn,
    now: NaiveDateTime,
    stale: TimeDelta,
) -> Result<Option<ExportRow>, StoreError> {
    let stale_before = now - stale;
    let candidate: Option<ExportRow> = d::data_exports
        .filter(
            d::status
                .eq("queued")
                .or(d::status.eq("running").and(d::started_at.lt(stale_before))),
        )
        .order(d::created_at.asc())
        .select(ExportRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = candidate else {
        return Ok(None);
    };
    let claimed = diesel::update(
        d::data_exports
            .filter(d::id.eq(row.id.clone()))
            .filter(d::status.eq(row.status.clone()))
            .filter(d::attempts.eq(row.attempts)),
    )
    .set((
        d::status.eq("running"),
        d::started_at.eq(Some(now)),
        d::attempts.eq(row.attempts + 1),
    ))
    .execute(conn)?;
    Ok((claimed == 1).then(|| ExportRow {
        status: "running".into(),
        started_at: Some(now),
        attempts: row.attempts + 1,
        ..row
    }))
}

/// Records a built archive; `false` when the row is gone (its tenant or person was purged
/// or erased meanwhile) and the archive should be removed.
pub fn succeed(
    conn: &mut DbConn,
    id: &str,
    built: &Built,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(d::data_exports.filter(d::id.eq(id.to_string())))
        .set((
            d::status.eq("succeeded"),
            d::storage_key.eq(Some(built.storage_key.clone())),
            d::size_bytes.eq(Some(built.size_bytes)),
            d::sha256.eq(Some(built.sha256.clone())),
            d::finished_at.eq(Some(now)),
            d::expires_at.eq(Some(expires_at)),
            d::error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Gives an export up (`failed`) or puts it back in the queue for another attempt.
pub fn fail(
    conn: &mut DbConn,
    id: &str,
    error: &str,
    retry: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(d::data_exports.filter(d::id.eq(id.to_string())))
        .set((
            d::status.eq(if retry { "queued" } else { "failed" }),
            d::error.eq(Some(error.to_string())),
            d::finished_at.eq((!retry).then_some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks built archives past their expiry `expired` and returns their storage keys (the
/// caller removes the files after the commit).
pub fn expire_due(conn: &mut DbConn, now: NaiveDateTime) -> Result<Vec<String>, StoreError> {
    let due: Vec<(String, Option<String>)> = d::data_exports
        .filter(d::status.eq("succeeded"))
        .filter(d::expires_at.lt(now))
        .select((d::id, d::storage_key))
        .load(conn)?;
    let ids: Vec<String> = due.iter().map(|(id, _)| id.clone()).collect();
    diesel::update(d::data_exports.filter(d::id.eq_any(ids)))
        .set((d::status.eq("expired"), d::storage_key.eq(None::<String>)))
        .execute(conn)?;
    Ok(due.into_iter().filter_map(|(_, key)| key).collect())
}

/// Deletes a person's personal exports (erasure) and returns the archives' storage keys.
pub fn delete_of_subject(conn: &mut DbConn, user_id: &str) -> Result<Vec<String>, StoreError> {
    let keys: Vec<Option<String>> = d::data_exports
        .filter(d::subject_user_id.eq(user_id.to_string()))
        .select(d::storage_key)
        .load(conn)?;
    diesel::delete(d::data_exports.filter(d::subject_user_id.eq(user_id.to_string())))
        .execute(conn)?;
    Ok(keys.into_iter().flatten().collect())
}

/// Which of `ids` name an export whose archive is wanted: queued or being built (its
/// archive may already be stored) or succeeded (system scope: the sweeper's orphan pass).
pub fn live_ids(conn: &mut DbConn, ids: &[String]) -> Result<Vec<String>, StoreError> {
    Ok(d::data_exports
        .filter(d::id.eq_any(ids))
        .filter(d::status.eq_any(["queued", "running", "succeeded"]))
        .select(d::id)
        .load(conn)?)
}
