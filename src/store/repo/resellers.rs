//! `resellers`: companies that sell Voxflow to their own tenants.

use super::{Page, PageRequest};
use crate::store::schema::resellers::dsl as r;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::resellers)]
pub struct ResellerRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub commission_rate_bp: i32,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Self-service sign-up (docs/email.md): visitors may create a tenant of this reseller.
    pub signup_enabled: bool,
    /// The plan a signed-up tenant starts on (with a `trial` subscription).
    pub signup_plan_id: Option<String>,
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::resellers)]
pub struct ResellerChanges {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<Option<String>>,
    pub commission_rate_bp: Option<i32>,
    pub status: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
    pub signup_enabled: Option<bool>,
    pub signup_plan_id: Option<Option<String>>,
}

type Boxed<'a> = crate::store::schema::resellers::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = r::resellers.filter(r::status.ne("deleted")).into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        _ => q.filter(
            r::id.eq(scope
                .reseller_id()
                .map(|u| u.to_string())
                .unwrap_or_default()),
        ),
    }
}

pub fn insert(conn: &mut DbConn, row: &ResellerRow) -> Result<(), StoreError> {
    diesel::insert_into(r::resellers)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<ResellerRow>, StoreError> {
    Ok(visible(scope)
        .filter(r::id.eq(id.to_string()))
        .select(ResellerRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    status: Option<&str>,
    name_contains: Option<&str>,
) -> Result<Page<ResellerRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(r::id.lt(after.clone()));
    }
    if let Some(s) = status {
        q = q.filter(r::status.eq(s.to_string()));
    }
    if let Some(n) = name_contains {
        q = q.filter(
            super::lower(r::name)
                .like(super::contains_pattern(n))
                .escape('\\'),
        );
    }
    let rows = q
        .order(r::id.desc())
        .limit(page.limit + 1)
        .select(ResellerRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

pub fn update(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    changes: &ResellerChanges,
) -> Result<Option<ResellerRow>, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(None);
    }
    diesel::update(r::resellers.filter(r::id.eq(id.to_string())))
        .set(changes)
        .execute(conn)?;
    get(conn, scope, id)
}
