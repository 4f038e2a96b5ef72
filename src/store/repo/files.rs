//! `files`: uploaded audio. The bytes live on disk (see `crate::files`); a row records where,
//! and what they are. Deleted files keep their row (`status = 'deleted'`) for the record.

use super::{Page, PageRequest};
use crate::store::schema::files::dsl as f;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::files)]
pub struct FileRow {
    pub id: String,
    pub tenant_id: String,
    pub user_id: Option<String>,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

type Boxed<'a> = crate::store::schema::files::BoxedQuery<'a, MultiBackend>;

/// Live files the scope may see.
fn visible(scope: &Scope) -> Boxed<'static> {
    let q = f::files.filter(f::status.eq("ready")).into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            f::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(f::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn insert(conn: &mut DbConn, row: &FileRow) -> Result<(), StoreError> {
    diesel::insert_into(f::files).values(row).execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<FileRow>, StoreError> {
    Ok(visible(scope)
        .filter(f::id.eq(id.to_string()))
        .select(FileRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
) -> Result<Page<FileRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(f::id.lt(after.clone()));
    }
    let rows = q
        .order(f::id.desc())
        .limit(page.limit + 1)
        .select(FileRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Marks a file deleted (its blob is removed by the caller once this commits).
pub fn mark_deleted(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> Result<(), StoreError> {
    diesel::update(f::files.filter(f::id.eq(id.to_string())))
        .set((f::status.eq("deleted"), f::deleted_at.eq(Some(at))))
        .execute(conn)?;
    Ok(())
}

/// Bytes a tenant stores, as the scope sees them: its live files and its jobs' outputs
/// (artifacts), which count against the same quota.
pub fn used_bytes(conn: &mut DbConn, scope: &Scope, tenant_id: &str) -> Result<i64, StoreError> {
    use crate::store::schema::job_artifacts::dsl as a;
    // SUM's SQL type differs between the backends (NUMERIC on PostgreSQL): cast it.
    let files: i64 = visible(scope)
        .filter(f::tenant_id.eq(tenant_id.to_string()))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT)",
        ))
        .first(conn)?;
    // Bytes, not characters, of the stored bodies.
    let length = match conn {
        DbConn::Postgres(_) => "CAST(COALESCE(SUM(OCTET_LENGTH(body)), 0) AS BIGINT)",
        _ => "CAST(COALESCE(SUM(LENGTH(CAST(body AS BLOB))), 0) AS BIGINT)",
    };
    let mut artifacts = a::job_artifacts
        .filter(a::tenant_id.eq(tenant_id.to_string()))
        .into_boxed::<MultiBackend>();
    if let Scope::Tenant { tenant_id: t, .. } = scope {
        artifacts = artifacts.filter(a::tenant_id.eq(t.to_string()));
    }
    let artifacts: i64 = artifacts
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(length))
        .first(conn)?;
    Ok(files.saturating_add(artifacts))
}

/// The tenant's storage quota in MiB: its own override, else its plan's; `None`: neither
/// (the caller applies `default_storage_quota_mb`).
pub fn storage_quota_mb(
    conn: &mut DbConn,
    scope: &Scope,
    tenant_id: &str,
) -> Result<Option<i32>, StoreError> {
    let Some(tenant) = super::tenants::get(conn, scope, tenant_id)? else {
        return Ok(None);
    };
    if let Some(mb) = tenant.storage_quota_mb {
        return Ok(Some(mb));
    }
    let Some(plan_id) = tenant.subscription_plan_id else {
        return Ok(None);
    };
    Ok(super::plans::get(conn, scope, &plan_id)?.map(|p| p.storage_quota_mb))
}

/// Serialises uploads of one tenant on PostgreSQL until the transaction ends, so two
/// concurrent uploads cannot both pass the quota check (SQLite has a single writer anyway).
pub fn lock_tenant_uploads(conn: &mut DbConn, tenant_id: &str) -> Result<(), StoreError> {
    if let DbConn::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("files:{tenant_id}"))
            .execute(pg)?;
    }
    Ok(())
}

/// [`used_bytes`] for every tenant of `owner` at once: live files plus job outputs
/// (tenants storing nothing are absent).
pub fn used_bytes_by_tenant(
    conn: &mut DbConn,
    owner: &super::usage::Owner,
) -> Result<std::collections::HashMap<String, i64>, StoreError> {
    let mut totals = std::collections::HashMap::new();
    let length = match conn {
        DbConn::Postgres(_) => "OCTET_LENGTH(body)",
        _ => "LENGTH(CAST(body AS BLOB))",
    };
    for (table, size, live) in [
        ("files", "size_bytes", "status = 'ready'"),
        ("job_artifacts", length, "1 = 1"),
    ] {
        let mut sql = super::usage::Sql::new(conn);
        let owner = sql.owner(owner);
        sql.text = format!(
            "SELECT tenant_id, CAST(SUM({size}) AS BIGINT) AS total FROM {table} \
             WHERE {owner} AND {live} GROUP BY tenant_id"
        );
        for row in sql.load::<super::usage::TenantTotal>(conn)? {
            *totals.entry(row.tenant_id).or_insert(0i64) += row.total;
        }
    }
    Ok(totals)
}

/// Live files of a tenant uploaded before `cutoff` (past its retention), oldest first.
pub fn uploaded_before(
    conn: &mut DbConn,
    tenant_id: &str,
    cutoff: NaiveDateTime,
    limit: i64,
) -> Result<Vec<FileRow>, StoreError> {
    Ok(visible(&Scope::System)
        .filter(f::tenant_id.eq(tenant_id.to_string()))
        .filter(f::created_at.lt(cutoff))
        .order(f::created_at.asc())
        .limit(limit)
        .select(FileRow::as_select())
        .load(conn)?)
}

/// Which of `storage_keys` a file that is not deleted still stores its bytes under (system
/// scope: the sweeper's orphan pass).
pub fn live_keys(conn: &mut DbConn, storage_keys: &[String]) -> Result<Vec<String>, StoreError> {
    Ok(f::files
        .filter(f::storage_key.eq_any(storage_keys))
        .filter(f::deleted_at.is_null())
        .select(f::storage_key)
        .load(conn)?)
}
