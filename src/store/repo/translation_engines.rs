//! `translation_engines`: a tenant's LibreTranslate / DeepL configurations. The API key is a
//! workspace credential (`crate::credentials`); this module never sees it in clear.

use super::{Page, PageRequest};
use crate::store::schema::translation_engines::dsl as t;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::translation_engines)]
pub struct TranslationEngineRow {
    pub id: String,
    pub tenant_id: String,
    pub name: String,
    /// `libretranslate` or `deepl`.
    pub kind: String,
    pub base_url: String,
    /// A key stored before workspace credentials existed, bound to this row; moved into
    /// the store at startup (`crate::credentials::adopt_engine_keys`), then None.
    pub api_key_sealed: Option<String>,
    pub api_key_hint: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The workspace credential holding the engine's API key.
    pub credential_id: Option<String>,
}

/// A change to an engine; `None` leaves a column as it is.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = crate::store::schema::translation_engines)]
pub struct TranslationEngineForm {
    pub name: Option<String>,
    pub base_url: Option<String>,
    /// `Some(None)` clears a key stored before workspace credentials.
    pub api_key_sealed: Option<Option<String>>,
    pub api_key_hint: Option<Option<String>>,
    /// `Some(None)` drops the engine's credential (the credential itself stays).
    pub credential_id: Option<Option<String>>,
    pub updated_at: Option<NaiveDateTime>,
}

type Boxed<'a> = crate::store::schema::translation_engines::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = t::translation_engines.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(
            t::tenant_id
                .nullable()
                .eq_any(super::tenants_of_reseller(reseller_id)),
        ),
        Scope::Tenant { tenant_id, .. } => q.filter(t::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn insert(conn: &mut DbConn, row: &TranslationEngineRow) -> Result<(), StoreError> {
    diesel::insert_into(t::translation_engines)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Option<TranslationEngineRow>, StoreError> {
    Ok(visible(scope)
        .filter(t::id.eq(id.to_string()))
        .select(TranslationEngineRow::as_select())
        .first(conn)
        .optional()?)
}

/// The engine a job names: by id, else by name, within the scope's tenant.
pub fn find(
    conn: &mut DbConn,
    scope: &Scope,
    id_or_name: &str,
) -> Result<Option<TranslationEngineRow>, StoreError> {
    if uuid::Uuid::parse_str(id_or_name).is_ok() {
        if let Some(row) = get(conn, scope, id_or_name)? {
            return Ok(Some(row));
        }
    }
    Ok(visible(scope)
        .filter(t::name.eq(id_or_name.to_string()))
        .select(TranslationEngineRow::as_select())
        .first(conn)
        .optional()?)
}

/// Names of the engines the scope sees (for error messages).
pub fn names(conn: &mut DbConn, scope: &Scope) -> Result<Vec<String>, StoreError> {
    Ok(visible(scope)
        .order(t::name.asc())
        .select(t::name)
        .limit(100)
        .load(conn)?)
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
) -> Result<Page<TranslationEngineRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(t::id.lt(after.clone()));
    }
    let rows = q
        .order(t::id.desc())
        .limit(page.limit + 1)
        .select(TranslationEngineRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Applies `form` to a row the scope sees; false when there is none.
pub fn update(
    conn: &mut DbConn,
    scope: &Scope,
    id: &str,
    form: &TranslationEngineForm,
) -> Result<bool, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(false);
    }
    diesel::update(t::translation_engines.filter(t::id.eq(id.to_string())))
        .set(form)
        .execute(conn)?;
    Ok(true)
}

/// Deletes the row (and with it the sealed key); false when the scope sees no such row.
pub fn delete(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<bool, StoreError> {
    if get(conn, scope, id)?.is_none() {
        return Ok(false);
    }
    Ok(diesel::delete(t::translation_engines.filter(t::id.eq(id.to_string()))).execute(conn)? > 0)
}
