//! `audit_log`: one row per mutation, written in the same transaction as the change.

use super::{Page, PageRequest};
use crate::store::schema::audit_log::dsl as a;
use crate::store::{DbConn, MultiBackend, StoreError};
use crate::tenancy::Scope;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = crate::store::schema::audit_log)]
pub struct AuditRow {
    pub id: String,
    pub actor_user_id: Option<String>,
    pub actor_api_key_id: Option<String>,
    pub tenant_id: Option<String>,
    pub reseller_id: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub request_id: Option<String>,
    pub ip: Option<String>,
    pub details: String,
    pub at: NaiveDateTime,
}

type Boxed<'a> = crate::store::schema::audit_log::BoxedQuery<'a, MultiBackend>;

fn visible(scope: &Scope) -> Boxed<'static> {
    let q = a::audit_log.into_boxed();
    match scope {
        Scope::System | Scope::Platform => q,
        Scope::Reseller { reseller_id } => q.filter(a::reseller_id.eq(reseller_id.to_string())),
        Scope::Tenant { tenant_id, .. } => q.filter(a::tenant_id.eq(tenant_id.to_string())),
    }
}

pub fn insert(conn: &mut DbConn, row: &AuditRow) -> Result<(), StoreError> {
    diesel::insert_into(a::audit_log)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Option<AuditRow>, StoreError> {
    Ok(visible(scope)
        .filter(a::id.eq(id.to_string()))
        .select(AuditRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub actor_user_id: Option<String>,
    pub tenant_id: Option<String>,
}

pub fn list(
    conn: &mut DbConn,
    scope: &Scope,
    page: &PageRequest,
    filter: &AuditFilter,
) -> Result<Page<AuditRow>, StoreError> {
    let mut q = visible(scope);
    if let Some(after) = &page.after {
        q = q.filter(a::id.lt(after.clone()));
    }
    if let Some(v) = &filter.action {
        q = q.filter(a::action.eq(v.clone()));
    }
    if let Some(v) = &filter.target_type {
        q = q.filter(a::target_type.eq(v.clone()));
    }
    if let Some(v) = &filter.target_id {
        q = q.filter(a::target_id.eq(v.clone()));
    }
    if let Some(v) = &filter.actor_user_id {
        q = q.filter(a::actor_user_id.eq(v.clone()));
    }
    if let Some(v) = &filter.tenant_id {
        q = q.filter(a::tenant_id.eq(v.clone()));
    }
    let rows = q
        .order(a::id.desc())
        .limit(page.limit + 1)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok(Page::from_rows(rows, page.limit, |x| x.id.clone()))
}

/// Erases a person from the audit log: the client addresses of what they did are dropped,
/// and in entries' details every string containing their email address, and (in entries by
/// or about them) every string that is exactly one of their `names`, reads
/// [`super::ERASED`]. Names match whole strings only, so "Ann" never erases "annual". The
/// entries themselves stay: that an action happened, and by which (now anonymous) account.
/// Returns the entries changed.
pub fn scrub_person(
    conn: &mut DbConn,
    user_id: &str,
    email: &str,
    names: &[String],
) -> Result<usize, StoreError> {
    let mut changed = diesel::update(
        a::audit_log
            .filter(a::actor_user_id.eq(user_id.to_string()))
            .filter(a::ip.is_not_null()),
    )
    .set(a::ip.eq(None::<String>))
    .execute(conn)?;
    let email = email.trim().to_lowercase();
    let names: Vec<String> = names
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    let about = |q: Boxed<'static>| {
        q.filter(
            a::actor_user_id
                .eq(user_id.to_string())
                .or(a::target_id.eq(user_id.to_string())),
        )
    };
    let mentioning = a::audit_log
        .filter(
            super::lower(a::details)
                .like(super::contains_pattern(&email))
                .escape('\\'),
        )
        .select((a::id, a::details))
        .load::<(String, String)>(conn)?;
    let by_or_about = about(a::audit_log.into_boxed())
        .select((a::id, a::details))
        .load::<(String, String)>(conn)?;
    let by_or_about_ids: std::collections::HashSet<String> =
        by_or_about.iter().map(|(id, _)| id.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    for (id, details) in mentioning.into_iter().chain(by_or_about) {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Ok(mut value) = serde_json::from_str::<serde_json::Value>(&details) else {
            continue;
        };
        let exact: &[String] = if by_or_about_ids.contains(&id) {
            &names
        } else {
            &[]
        };
        if scrub_value(&mut value, &email, exact) {
            diesel::update(a::audit_log.filter(a::id.eq(id)))
                .set(a::details.eq(value.to_string()))
                .execute(conn)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Replaces, in place, each string of `value` that contains `email` or equals one of
/// `exact` (both compared lowercased).
fn scrub_value(value: &mut serde_json::Value, email: &str, exact: &[String]) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let lower = s.trim().to_lowercase();
            if (!email.is_empty() && lower.contains(email)) || exact.contains(&lower) {
                *s = super::ERASED.to_string();
                return true;
            }
            false
        }
        Value::Array(items) => items
            .iter_mut()
            .fold(false, |acc, v| scrub_value(v, email, exact) | acc),
        Value::Object(map) => map
            .values_mut()
            .fold(false, |acc, v| scrub_value(v, email, exact) | acc),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::scrub_value;
    use serde_json::json;

    #[test]
    fn scrubs_every_string_naming_the_person_and_nothing_else() {
        let names = vec!["ann".to_string(), "lovelace".to_string()];
        let mut v = json!({
            "email": "Ann@X.test",
            "first_name": "Ann",
            "last_name": "Lovelace",
            "note": "annual report",
            "changes": [{"to": "ann@x.test"}, {"size": 3}],
        });
        assert!(scrub_value(&mut v, "ann@x.test", &names));
        assert_eq!(
            v,
            json!({
                "email": "[erased]",
                "first_name": "[erased]",
                "last_name": "[erased]",
                "note": "annual report",
                "changes": [{"to": "[erased]"}, {"size": 3}],
            })
        );
        let mut untouched = json!({"name": "Grace"});
        assert!(!scrub_value(&mut untouched, "ann@x.test", &names));
    }
}
