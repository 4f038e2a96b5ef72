//! `/v1/credentials`: a tenant's workspace credentials — third-party secrets (DeepL and
//! LibreTranslate API keys today) kept in one sealed store (`crate::credentials`,
//! docs/credentials.md). Tenant admins only (`credentials:read` / `credentials:write`).
//!
//! The value is sealed before it is stored and never returned: views show a hint (its last
//! characters), the origin it is bound to, and the translation engines using it. `PATCH` with
//! `value` rotates it (every engine using it takes the new value at its next request); the
//! origin changes only together with a new value. A credential in use cannot be deleted.
//! Another tenant's credential is answered exactly as a missing one.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::credentials::Provider;
use crate::error::{ApiError, Code};
use crate::store::repo::workspace_credentials::{self as repo, CredentialForm, CredentialRow};
use crate::store::{self, StoreError};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A translation engine that uses a credential.
#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialUseView {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// A label for people; need not be unique.
    #[schema(example = "DeepL team account")]
    pub name: String,
    pub provider: Provider,
    /// The value's last four characters, to recognise it (none for short values). The value
    /// itself is never returned.
    #[schema(example = "…3:fx")]
    pub hint: Option<String>,
    /// `scheme://host:port` the value may be sent to; null until a translation engine first
    /// uses it (it is then bound to that engine's host).
    #[schema(example = "https://api-free.deepl.com:443")]
    pub origin: Option<String>,
    /// The translation engines using it.
    pub used_by: Vec<CredentialUseView>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the value was last set (created or rotated).
    pub rotated_at: DateTime<Utc>,
}

impl CredentialView {
    fn of(r: CredentialRow, used: &mut HashMap<String, Vec<(String, String)>>) -> Self {
        CredentialView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid(&r.tenant_id),
            used_by: used
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .map(|(id, name)| CredentialUseView {
                    id: super::parse_uuid(&id),
                    name,
                })
                .collect(),
            name: r.name,
            provider: Provider::parse(&r.provider).unwrap_or(Provider::Generic),
            hint: r.hint,
            origin: r.origin,
            created_by: super::parse_uuid_opt(r.created_by.as_deref()),
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
            rotated_at: super::utc(r.rotated_at),
        }
    }
}

list_view!(CredentialList, CredentialView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCredentialRequest {
    /// 1–100 characters.
    #[schema(
        example = "DeepL team account",
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: String,
    #[schema(value_type = Provider)]
    pub provider: String,
    /// The secret. DeepL and LibreTranslate keys: 1–500 characters without spaces; generic
    /// values: 1–8192 characters without control characters.
    #[schema(
        min_length = 1,
        max_length = 8192,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub value: String,
    /// An `http(s)` URL whose origin the value may be sent to (path ignored). Absent: bound
    /// by the first translation engine that uses it.
    #[schema(
        example = "https://api-free.deepl.com",
        pattern = r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9._~!$&'()*+,;=:%/?#-]*)?\s*$"
    )]
    pub origin: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCredentialRequest {
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    pub name: Option<String>,
    /// A new value (a rotation): every engine using the credential sends it from now on.
    #[schema(
        min_length = 1,
        max_length = 8192,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]+$"
    )]
    pub value: Option<String>,
    /// A new origin (or `null` to unbind it); only together with `value`.
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][A-Za-z0-9._~!$&'()*+,;=:%/?#-]*)?\s*$")]
    pub origin: Option<Option<String>>,
}

fn not_found() -> ApiError {
    ApiError::of(Code::CredentialNotFound)
}

fn tenant_of(authed: &Authed) -> Result<Uuid, ApiError> {
    authed.principal.tenant_id.ok_or_else(|| {
        ApiError::forbidden(
            "Workspace credentials belong to tenants: use a tenant admin's credentials",
        )
    })
}

fn check_name(v: &mut Validator, name: &str) {
    v.text("name", name, 100);
    v.check(
        !name.chars().any(char::is_control),
        "name",
        "must not contain control characters",
    );
}

/// Checks a secret for `provider` (the same rules engines' `api_key` always had).
pub fn check_value(v: &mut Validator, field: &str, provider: Provider, value: &str) {
    match provider {
        Provider::Deepl | Provider::Libretranslate => v.check(
            (1..=500).contains(&value.len())
                && !value.chars().any(|c| c.is_whitespace() || c.is_control()),
            field,
            "must be 1–500 characters without spaces",
        ),
        Provider::Generic => v.check(
            (1..=8192).contains(&value.len()) && !value.chars().any(char::is_control),
            field,
            "must be 1–8192 characters without control characters",
        ),
    }
}

/// The origin of an `http(s)` URL given as a credential's `origin`.
fn checked_origin(v: &mut Validator, url: &str) -> Option<String> {
    let url = url.trim();
    let origin = (!url.contains('@'))
        .then(|| crate::fetch::origin(url))
        .flatten();
    if origin.is_none() {
        v.push(
            "origin",
            "must be an http(s) URL without credentials, e.g. https://api.deepl.com",
        );
    }
    origin
}

/// The view of `row` with the engines using it.
fn view(
    c: &mut crate::store::DbConn,
    scope: &crate::tenancy::Scope,
    row: CredentialRow,
) -> Result<CredentialView, StoreError> {
    let mut used = repo::engines_using_any(c, scope, std::slice::from_ref(&row.id))?;
    Ok(CredentialView::of(row, &mut used))
}

/// Stores a third-party secret for the tenant, sealed (tenant admins).
#[utoipa::path(tag = "credentials", request_body = CreateCredentialRequest, responses((status = 201, body = CredentialView, headers(("Location" = String))), WriteErrors))]
#[post("/credentials")]
pub async fn create_credential(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateCredentialRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::CredentialsWrite)?;
    let tenant_id = tenant_of(&authed)?.to_string();
    let body = body.into_inner();
    let mut v = Validator::default();
    let name = body.name.trim().to_string();
    check_name(&mut v, &name);
    let provider = Provider::parse(&body.provider);
    v.check(
        provider.is_some(),
        "provider",
        "must be `deepl`, `libretranslate` or `generic`",
    );
    let value = body.value.trim().to_string();
    if let Some(p) = provider {
        check_value(&mut v, "value", p, &value);
    }
    let origin = body
        .origin
        .as_deref()
        .and_then(|o| checked_origin(&mut v, o));
    v.finish()?;
    let provider = provider.unwrap_or(Provider::Generic);
    let row = state.credentials.new_row(
        &tenant_id,
        &name,
        provider,
        &value,
        origin,
        Some(authed.principal.user_id.to_string()),
    );
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let view = state
        .store
        .write(scope, move |c| {
            repo::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "credential.create",
                    target_type: "credential",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: None,
                    details: serde_json::json!({"name": row.name, "provider": row.provider, "origin": row.origin}),
                },
            )?;
            view(c, &scope, row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/credentials/{}", view.id)))
        .json(view))
}

/// Lists the tenant's workspace credentials (never their values).
#[utoipa::path(tag = "credentials", params(PageQuery), responses((status = 200, body = CredentialList), ReadErrors))]
#[get("/credentials")]
pub async fn list_credentials(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PageQuery>,
) -> Result<web::Json<CredentialList>, ApiError> {
    authed.require(Action::CredentialsRead)?;
    tenant_of(&authed)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let list = state
        .store
        .read(scope, move |c| {
            let rows = repo::list(c, &scope, &page)?;
            let ids: Vec<String> = rows.items.iter().map(|r| r.id.clone()).collect();
            let mut used = repo::engines_using_any(c, &scope, &ids)?;
            Ok(rows.map(|r| CredentialView::of(r, &mut used)))
        })
        .await?;
    Ok(web::Json(CredentialList::from_page(list)))
}

/// Reads one workspace credential (never its value).
#[utoipa::path(tag = "credentials", params(("id" = Uuid, Path)), responses((status = 200, body = CredentialView), ReadErrors))]
#[get("/credentials/{id}")]
pub async fn get_credential(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<CredentialView>, ApiError> {
    authed.require(Action::CredentialsRead)?;
    tenant_of(&authed)?;
    let scope = authed.scope();
    let id = id.to_string();
    let found = state
        .store
        .read(scope, move |c| {
            repo::get(c, &scope, &id)?
                .map(|row| view(c, &scope, row))
                .transpose()
        })
        .await?;
    Ok(web::Json(found.ok_or_else(not_found)?))
}

fn in_use(engines: &[(String, String)]) -> ApiError {
    let names: Vec<String> = engines.iter().map(|(_, n)| format!("`{n}`")).collect();
    ApiError::new(
        Code::CredentialInUse,
        format!(
            "The credential is used by translation engine(s) {}: point them at another \
             credential (or delete them) first",
            names.join(", ")
        ),
    )
}

/// Renames a credential or replaces its value (a rotation), optionally with a new origin
/// (tenant admins).
#[utoipa::path(tag = "credentials", params(("id" = Uuid, Path)), request_body = UpdateCredentialRequest, responses((status = 200, body = CredentialView), WriteErrors))]
#[patch("/credentials/{id}")]
pub async fn update_credential(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateCredentialRequest>,
) -> Result<web::Json<CredentialView>, ApiError> {
    authed.require(Action::CredentialsWrite)?;
    tenant_of(&authed)?;
    let scope = authed.scope();
    let id = id.to_string();
    let existing = {
        let id = id.clone();
        state
            .store
            .read(scope, move |c| repo::get(c, &scope, &id))
            .await?
            .ok_or_else(not_found)?
    };
    let provider = Provider::parse(&existing.provider).unwrap_or(Provider::Generic);
    let body = body.into_inner();
    let mut v = Validator::default();
    let name = body.name.as_deref().map(|n| n.trim().to_string());
    if let Some(n) = &name {
        check_name(&mut v, n);
    }
    let value = body.value.as_deref().map(|s| s.trim().to_string());
    if let Some(value) = &value {
        check_value(&mut v, "value", provider, value);
    }
    let origin: Option<Option<String>> = body
        .origin
        .map(|o| o.and_then(|o| checked_origin(&mut v, &o)));
    if origin.is_some() && value.is_none() {
        v.push(
            "origin",
            "a credential moves to another origin only with its value again: send `value` too",
        );
    }
    v.finish()?;
    let mut form = match &value {
        Some(value) => state.credentials.rotation(&existing, value, origin.clone()),
        None => CredentialForm {
            updated_at: Some(store::now()),
            ..Default::default()
        },
    };
    form.name = name.clone();
    let mut changed: Vec<&str> = Vec::new();
    for (field, set) in [
        ("name", name.is_some()),
        ("value", value.is_some()),
        ("origin", origin.is_some()),
    ] {
        if set {
            changed.push(field);
        }
    }
    let action = if value.is_some() {
        "credential.rotate"
    } else {
        "credential.update"
    };
    let actor = Actor::of(&authed);
    let result = state
        .store
        .write(scope, move |c| {
            // Engines using it must still be on its (new) origin.
            if let Some(new_origin) = &origin {
                let engines = repo::engines_using(c, &scope, &id)?;
                let mut elsewhere = Vec::new();
                for (engine_id, engine_name) in engines {
                    let url = crate::store::repo::translation_engines::get(c, &scope, &engine_id)?
                        .map(|e| e.base_url)
                        .unwrap_or_default();
                    if new_origin.is_none()
                        || crate::fetch::origin(&url).as_ref() != new_origin.as_ref()
                    {
                        elsewhere.push((engine_id, engine_name));
                    }
                }
                if !elsewhere.is_empty() {
                    return Ok(Err(elsewhere));
                }
            }
            if !repo::update(c, &scope, &id, &form)? {
                return Ok(Ok(None));
            }
            audit::record(
                c,
                &actor,
                Event {
                    action,
                    target_type: "credential",
                    target_id: Some(id.clone()),
                    tenant_id: Some(existing.tenant_id.clone()),
                    reseller_id: None,
                    details: serde_json::json!({"changed": changed}),
                },
            )?;
            repo::get(c, &scope, &id)?
                .map(|row| view(c, &scope, row))
                .transpose()
                .map(Ok)
        })
        .await?;
    match result {
        Ok(Some(view)) => Ok(web::Json(view)),
        Ok(None) => Err(not_found()),
        Err(engines) => Err(in_use(&engines)),
    }
}

/// Deletes a credential and its sealed value (tenant admins); refused while translation
/// engines use it.
#[utoipa::path(tag = "credentials", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/credentials/{id}")]
pub async fn delete_credential(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::CredentialsWrite)?;
    tenant_of(&authed)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let result = state
        .store
        .write(scope, move |c| {
            let Some(row) = repo::get(c, &scope, &id)? else {
                return Ok(Ok(false));
            };
            let engines = repo::engines_using(c, &scope, &id)?;
            if !engines.is_empty() {
                return Ok(Err(engines));
            }
            repo::delete(c, &scope, &id)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "credential.delete",
                    target_type: "credential",
                    target_id: Some(id.clone()),
                    tenant_id: Some(row.tenant_id),
                    reseller_id: None,
                    details: serde_json::json!({"name": row.name, "provider": row.provider}),
                },
            )?;
            Ok(Ok(true))
        })
        .await?;
    match result {
        Ok(true) => Ok(HttpResponse::NoContent().finish()),
        Ok(false) => Err(not_found()),
        Err(engines) => Err(in_use(&engines)),
    }
}
