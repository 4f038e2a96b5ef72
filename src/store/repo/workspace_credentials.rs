//! `workspace_credentials`: a tenant's third-party secrets, sealed. This module stores and
//! finds rows; it never sees a value in clear (sealing and opening are `crate::credentials`).

use super::{Page, PageRequest};
use crate::store::schema::translation_engines::dsl as te;
use crate::store::schema::workspace_credentials::dsl as c;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::workspace_credentials)]
pub struct CredentialRow {
    pub id: String,
    pub tenant_id: String,
    pub name: String,
    /// `deepl`, `libretranslate` or `generic`.
    pub provider: String,
    /// `v1.…` (see `crate::auth::sealing`), bound to `workspace_credential:<tenant>:<id>`.
    pub value_sealed: String,
    /// The value's last characters, to recognise it.
    pub hint: Option<String>,
    /// `scheme://host[:port]` the value may be sent to; None until an engine first uses it.
    pub origin: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the value was last set (creation or rotation).
    pub rotated_at: NaiveDateTime,
}

/// A change to a credential; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::workspace_credentials)]
pub struct CredentialForm {
    pub name: Option<String>,
    pub value_sealed: Option<String>,
    pub hint: Option<Option<String>>,
    pub origin: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
    pub rotated_at: Option<NaiveDateTime>,
}

type Boxed<'a> = crate::store::schema::workspace_credentials::BoxedQuery<'a, MultiBackend>;

/// Tenant rows for the tenant's own scope; every row for the service itself. Platform and
/// reseller admins see none: a tenant's third-party secrets are the tenant's alone.
fn visible(scope: &Scope) -> Boxed<'static> {
    let q = c::workspace_credentials.into_boxed();
    match scope {
        Scope::System => q,
        Scope::Tenant { tenant_id, .. } => q.filter(c::tenant_id.eq(tenant_id.to_string())),
        Scope::Platform | Scope::Reseller { .. } => q.filter(c::id.is_null()),
    }
}

pub fn insert(conn: &mut DbConn, row: &CredentialRow) -> Result<(), StoreError> {
    diesel::insert_into(c::workspace_credentials)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<CredentialRow>, StoreError> {
    Ok(visible(scope)
        .filter(c::id.eq(id.to_string()))
        .select(CredentialRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
) -> Result<Page<CredentialRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(c::id.lt(after.clone()));
    }
    let rows = q
        .order(c::id.desc())
        .limit(page.limit + 1)
        .select(CredentialRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Every stored credential (the service's own scope: key rotation).
pub fn all(conn: &mut DbConn) -> Result<Vec<CredentialRow>, StoreError> {
    Ok(c::workspace_credentials
        .order(c::id.asc())
        .select(CredentialRow::as_select())
        .load(conn)?)
}

/// Applies `form` to a row the scope sees; false when there is none.
pub fn update(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    form: &CredentialForm,
) -> Result<bool, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(false);
    }
    diesel::update(c::workspace_credentials.filter(c::id.eq(id.to_string())))
        .set(form)
        .execute(conn)?;
    Ok(true)
}

/// Deletes the row and its sealed value; false when the scope sees no such row.
pub fn delete(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<bool, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(false);
    }
    Ok(
        diesel::delete(c::workspace_credentials.filter(c::id.eq(id.to_string()))).execute(conn)?
            > 0,
    )
}

/// (id, name) of the scope's translation engines that use credential `id`.
pub fn engines_using(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut q = te::translation_engines
        .filter(te::credential_id.eq(id.to_string()))
        .into_boxed::<MultiBackend>();
    if let Scope::Tenant { tenant_id, .. } = scope {
        q = q.filter(te::tenant_id.eq(tenant_id.to_string()));
    }
    Ok(q.order(te::name.asc())
        .select((te::id, te::name))
        .load(conn)?)
}

/// The (id, name) of the scope's translation engines using each of `ids` (for views).
pub fn engines_using_any(
    conn: &mut DbConn,
    scope: &Scope,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<(String, String)>>, StoreError> {
    let mut q = te::translation_engines
        .filter(te::credential_id.eq_any(ids.to_vec()))
        .into_boxed::<MultiBackend>();
    if let Scope::Tenant { tenant_id, .. } = scope {
        q = q.filter(te::tenant_id.eq(tenant_id.to_string()));
    }
    let used: Vec<(Option<String>, String, String)> = q
        .order(te::name.asc())
        .select((te::credential_id, te::id, te::name))
        .load(conn)?;
    let mut by_credential = std::collections::HashMap::<String, Vec<(String, String)>>::new();
    for (credential, id, name) in used {
        if let Some(credential) = credential {
            by_credential
                .entry(credential)
                .or_default()
                .push((id, name));
        }
    }
    Ok(by_credential)
}

/// The scope's credentials among `ids` (for engine views).
pub fn get_many(
    conn: &mut DbConn,
    scope: &Scope,
    ids: &[String],
) -> Result<Vec<CredentialRow>, StoreError> {
    Ok(visible(scope)
        .filter(c::id.eq_any(ids.to_vec()))
        .select(CredentialRow::as_select())
        .load(conn)?)
}
