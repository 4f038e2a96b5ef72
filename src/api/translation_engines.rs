//! `/v1/translation-engines`: the LibreTranslate and DeepL servers a tenant's
//! `translate.text` nodes may use (by name), and the languages every engine offers.
//!
//! Tenant admins create, change and delete engines; every tenant user may list them. The
//! API key is a workspace credential (`crate::credentials`, `/v1/credentials`): either given
//! inline as `api_key` (a credential is created, or rotated, under the hood) or named by
//! `credential_id`. It is never returned: views say `has_api_key`, show its last characters
//! and the credential's id. The base URL passes the SSRF guard when saved and again on every
//! request the engine makes (which connects only to the addresses that passed). A stored key
//! is bound to its host (the credential's origin): moving an engine to another origin
//! requires the key again (`translation_engine_key_required`) or a credential bound there,
//! so a key is never sent somewhere new.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::credentials::Provider;
use crate::error::{ApiError, Code};
use crate::store::repo::translation_engines::{
    self as repo, TranslationEngineForm, TranslationEngineRow,
};
use crate::store::repo::workspace_credentials::{self as credentials_repo, CredentialRow};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::Scope;
use crate::translation::{deepl, EngineConfig, EngineKind};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use voxflow_nodes::translate::{LanguagePair, APERTIUM};

#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationEngineView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// What `translate.text` nodes put in their `engine` param.
    #[schema(example = "team-deepl")]
    pub name: String,
    pub kind: EngineKind,
    #[schema(example = "https://api-free.deepl.com")]
    pub base_url: String,
    /// Whether an API key is stored (it is never returned).
    pub has_api_key: bool,
    /// The key's last four characters, to recognise it.
    #[schema(example = "…3:fx")]
    pub api_key_hint: Option<String>,
    /// The workspace credential holding the key (`/v1/credentials/{id}`).
    pub credential_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<EngineConfig> for TranslationEngineView {
    fn from(
        EngineConfig {
            engine: r,
            credential,
        }: EngineConfig,
    ) -> Self {
        let (has_api_key, api_key_hint) = match &credential {
            Some(c) => (true, c.hint.clone()),
            // A key from before workspace credentials that did not open at startup.
            None => (r.api_key_sealed.is_some(), r.api_key_hint.clone()),
        };
        TranslationEngineView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid(&r.tenant_id),
            name: r.name,
            kind: EngineKind::parse(&r.kind).unwrap_or(EngineKind::Libretranslate),
            base_url: r.base_url,
            has_api_key,
            api_key_hint,
            credential_id: super::parse_uuid_opt(r.credential_id.as_deref()),
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

list_view!(TranslationEngineList, TranslationEngineView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTranslationEngineRequest {
    /// Lower-case letters, digits, `-`, `_`, `.`; 1–64 characters; not `apertium`.
    #[schema(example = "team-deepl", pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub name: String,
    #[schema(value_type = EngineKind)]
    pub kind: String,
    /// Required for LibreTranslate; DeepL defaults to `https://api-free.deepl.com` for
    /// keys ending in `:fx`, else `https://api.deepl.com`.
    pub base_url: Option<String>,
    /// Required for DeepL (or `credential_id`); optional for LibreTranslate (servers with
    /// `--api-keys`). Stored as a new workspace credential named after the engine.
    pub api_key: Option<String>,
    /// A workspace credential of the same provider to use instead of `api_key` (needs
    /// `credentials:read`; one not yet bound to an origin is bound to this engine's, which
    /// needs `credentials:write`).
    pub credential_id: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTranslationEngineRequest {
    #[schema(pattern = "^[a-z0-9][a-z0-9._-]{0,63}$")]
    pub name: Option<String>,
    pub base_url: Option<String>,
    /// A new key; `null` removes the engine's key (LibreTranslate only; the workspace
    /// credential that held it stays, see `/v1/credentials`). A key of a credential only this
    /// engine uses is rotated in place; otherwise a new credential is created.
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>)]
    pub api_key: Option<Option<String>>,
    /// Use this workspace credential from now on (see the create request).
    pub credential_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LanguagePairView {
    pub source: String,
    pub target: String,
}

/// What an engine translates, in its own codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngineLanguagesView {
    /// `apertium`, or the engine's id.
    pub engine: String,
    /// `apertium`, `libretranslate` or `deepl`.
    pub kind: String,
    /// Every direction offered.
    pub pairs: Vec<LanguagePairView>,
    /// Distinct sources and targets of `pairs`.
    pub sources: Vec<String>,
    pub targets: Vec<String>,
}

fn not_found() -> ApiError {
    ApiError::of(Code::TranslationEngineNotFound)
}

fn check_name(v: &mut Validator, name: &str) {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    v.check(
        ok,
        "name",
        "must be 1–64 lower-case letters, digits, `-`, `_` or `.`, starting with a letter or digit",
    );
    v.check(
        name != APERTIUM,
        "name",
        "`apertium` is the built-in engine",
    );
    v.check(
        Uuid::parse_str(name).is_err(),
        "name",
        "must not look like an id",
    );
}

fn check_api_key(v: &mut Validator, key: &str) {
    super::credentials::check_value(v, "api_key", Provider::Libretranslate, key);
}

fn provider_of(kind: EngineKind) -> Provider {
    match kind {
        EngineKind::Deepl => Provider::Deepl,
        EngineKind::Libretranslate => Provider::Libretranslate,
    }
}

/// The engine with its credential, for views.
fn config(
    c: &mut DbConn,
    scope: &Scope,
    row: TranslationEngineRow,
) -> Result<EngineConfig, StoreError> {
    EngineConfig::of(c, scope, row)
}

/// Looks up the credential an engine request names and checks it may be used by an engine of
/// `kind` at `base_url`: the same provider, bound to that origin (or not bound yet, which
/// takes `credentials:write`: the caller decides where the secret goes). Returns the row and
/// whether it must be bound now.
async fn usable_credential(
    state: &AppState,
    authed: &Authed,
    id: Uuid,
    kind: EngineKind,
    base_url: &str,
) -> Result<(CredentialRow, bool), ApiError> {
    authed.require(Action::CredentialsRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| credentials_repo::get(c, &scope, &id))
        .await?
        .ok_or_else(|| ApiError::of(Code::CredentialNotFound))?;
    let mut v = Validator::default();
    v.check(
        row.provider == provider_of(kind).as_str(),
        "credential_id",
        &format!(
            "is a {} credential; this engine needs a {} one",
            row.provider,
            kind.as_str()
        ),
    );
    let origin = crate::fetch::origin(base_url);
    if let Some(bound) = &row.origin {
        v.check(
            Some(bound) == origin.as_ref(),
            "credential_id",
            &format!("is bound to {bound}: it is never sent to another host"),
        );
    }
    v.finish()?;
    let bind = row.origin.is_none();
    if bind {
        authed.require(Action::CredentialsWrite)?;
    }
    Ok((row, bind))
}

fn audit_credential(
    c: &mut DbConn,
    actor: &Actor,
    action: &'static str,
    row: &CredentialRow,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    audit::record(
        c,
        actor,
        Event {
            action,
            target_type: "credential",
            target_id: Some(row.id.clone()),
            tenant_id: Some(row.tenant_id.clone()),
            reseller_id: None,
            details,
        },
    )
}

/// Binds `row` to `origin` (its first engine), audited.
fn bind(
    c: &mut DbConn,
    scope: &Scope,
    actor: &Actor,
    row: &CredentialRow,
    origin: Option<String>,
) -> Result<(), StoreError> {
    let form = crate::store::repo::workspace_credentials::CredentialForm {
        origin: Some(origin.clone()),
        updated_at: Some(store::now()),
        ..Default::default()
    };
    credentials_repo::update(c, scope, &row.id, &form)?;
    audit_credential(
        c,
        actor,
        "credential.update",
        row,
        serde_json::json!({"changed": ["origin"], "origin": origin}),
    )
}

/// Normalises and SSRF-checks a base URL (blocking: resolves the host).
async fn checked_base_url(state: &AppState, v: &mut Validator, url: &str) -> String {
    let url = url.trim().trim_end_matches('/').to_string();
    if url.contains(['?', '#']) || url.contains('@') {
        v.push(
            "base_url",
            "must be a plain http(s) URL without credentials, query or fragment",
        );
        return url;
    }
    let allow_private = state.translation.allow_private();
    let to_check = url.clone();
    match web::block(move || {
        crate::fetch::check_destination(&to_check, &crate::fetch::policy(allow_private))
    })
    .await
    {
        Ok(Ok(())) => {}
        Ok(Err(e)) => v.push("base_url", e.to_string()),
        Err(e) => v.push("base_url", format!("cannot check: {e}")),
    }
    url
}

fn tenant_of(authed: &Authed) -> Result<Uuid, ApiError> {
    authed.principal.tenant_id.ok_or_else(|| {
        ApiError::forbidden(
            "Translation engines belong to tenants: use a tenant admin's credentials",
        )
    })
}

fn name_taken(e: StoreError) -> ApiError {
    match e {
        StoreError::UniqueViolation(_) => ApiError::of(Code::TranslationEngineNameTaken),
        other => other.into(),
    }
}

/// Adds a LibreTranslate or DeepL engine for the tenant (tenant admins).
#[utoipa::path(tag = "translation-engines", request_body = CreateTranslationEngineRequest, responses((status = 201, body = TranslationEngineView, headers(("Location" = String))), WriteErrors))]
#[post("/translation-engines")]
pub async fn create_translation_engine(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateTranslationEngineRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::TranslationEnginesWrite)?;
    let tenant_id = tenant_of(&authed)?.to_string();
    let body = body.into_inner();
    let mut v = Validator::default();
    let name = body.name.trim().to_string();
    check_name(&mut v, &name);
    let kind = EngineKind::parse(&body.kind);
    v.check(
        kind.is_some(),
        "kind",
        "must be `libretranslate` or `deepl`",
    );
    let api_key = body
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty());
    if let Some(k) = api_key {
        check_api_key(&mut v, k);
    }
    v.check(
        !(api_key.is_some() && body.credential_id.is_some()),
        "credential_id",
        "send either `api_key` or `credential_id`, not both",
    );
    let base_url = match (kind, body.base_url.as_deref()) {
        (_, Some(url)) => Some(url.to_string()),
        (Some(EngineKind::Deepl), None) => api_key.map(|k| deepl::default_base_url(k).to_string()),
        _ => None,
    };
    match kind {
        Some(EngineKind::Deepl) => {
            v.check(
                api_key.is_some() || body.credential_id.is_some(),
                "api_key",
                "DeepL needs an API key (or a `credential_id`)",
            );
            v.check(
                base_url.is_some() || body.credential_id.is_none(),
                "base_url",
                "DeepL with a `credential_id` needs the server's URL",
            );
        }
        Some(EngineKind::Libretranslate) => v.check(
            base_url.is_some(),
            "base_url",
            "LibreTranslate needs the server's URL",
        ),
        None => {}
    }
    let base_url = match base_url {
        Some(url) => checked_base_url(&state, &mut v, &url).await,
        None => String::new(),
    };
    v.finish()?;
    let kind = kind.unwrap_or(EngineKind::Libretranslate);
    let origin = crate::fetch::origin(&base_url);
    let linked = match body.credential_id {
        Some(id) => Some(usable_credential(&state, &authed, id, kind, &base_url).await?),
        None => None,
    };
    let created = api_key.map(|k| {
        state.credentials.new_row(
            &tenant_id,
            &name,
            provider_of(kind),
            k,
            origin.clone(),
            Some(authed.principal.user_id.to_string()),
        )
    });
    let now = store::now();
    let row = TranslationEngineRow {
        credential_id: created
            .as_ref()
            .map(|c| c.id.clone())
            .or_else(|| linked.as_ref().map(|(c, _)| c.id.clone())),
        api_key_sealed: None,
        api_key_hint: None,
        id: store::new_id(),
        tenant_id,
        name,
        kind: kind.as_str().into(),
        base_url,
        created_at: now,
        updated_at: now,
    };
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let view = state
        .store
        .write(scope, move |c| {
            if repo::find(c, &scope, &row.name)?.is_some() {
                return Err(StoreError::UniqueViolation("name".into()));
            }
            if let Some(credential) = &created {
                credentials_repo::insert(c, credential)?;
                audit_credential(
                    c,
                    &actor,
                    "credential.create",
                    credential,
                    serde_json::json!({"name": credential.name, "provider": credential.provider, "origin": credential.origin, "via": "translation_engine"}),
                )?;
            }
            if let Some((credential, true)) = &linked {
                bind(c, &scope, &actor, credential, origin.clone())?;
            }
            repo::insert(c, &row)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "translation_engine.create",
                    target_type: "translation_engine",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: None,
                    details: serde_json::json!({"name": row.name, "kind": row.kind, "base_url": row.base_url, "has_api_key": row.credential_id.is_some(), "credential_id": row.credential_id}),
                },
            )?;
            config(c, &scope, row)
        })
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/v1/translation-engines/{}", view.engine.id),
        ))
        .json(TranslationEngineView::from(view)))
}

/// Lists the tenant's translation engines (never their keys).
#[utoipa::path(tag = "translation-engines", params(PageQuery), responses((status = 200, body = TranslationEngineList), ReadErrors))]
#[get("/translation-engines")]
pub async fn list_translation_engines(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PageQuery>,
) -> Result<web::Json<TranslationEngineList>, ApiError> {
    authed.require(Action::TranslationEnginesRead)?;
    let page = query.to_request()?;
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| {
            let rows = repo::list(c, &scope, &page)?;
            let ids: Vec<String> = rows
                .items
                .iter()
                .filter_map(|r| r.credential_id.clone())
                .collect();
            let credentials: std::collections::HashMap<String, CredentialRow> =
                credentials_repo::get_many(c, &scope, &ids)?
                    .into_iter()
                    .map(|r| (r.id.clone(), r))
                    .collect();
            Ok(rows.map(|engine| EngineConfig {
                credential: engine
                    .credential_id
                    .as_ref()
                    .and_then(|id| credentials.get(id).cloned()),
                engine,
            }))
        })
        .await?;
    Ok(web::Json(TranslationEngineList::from_page(
        rows.map(TranslationEngineView::from),
    )))
}

/// Reads one translation engine (never its key).
#[utoipa::path(tag = "translation-engines", params(("id" = Uuid, Path)), responses((status = 200, body = TranslationEngineView), ReadErrors))]
#[get("/translation-engines/{id}")]
pub async fn get_translation_engine(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<TranslationEngineView>, ApiError> {
    authed.require(Action::TranslationEnginesRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let found = state
        .store
        .read(scope, move |c| {
            repo::get(c, &scope, &id)?
                .map(|row| config(c, &scope, row))
                .transpose()
        })
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(TranslationEngineView::from(found)))
}

// Moving an engine that has a key to another origin (a new `base_url`) needs `api_key` or a
// `credential_id` bound there in the same request: otherwise `422
// translation_engine_key_required`, and nothing changes.
/// Renames an engine, moves it, or replaces / removes its key (tenant admins).
#[utoipa::path(tag = "translation-engines", params(("id" = Uuid, Path)), request_body = UpdateTranslationEngineRequest, responses((status = 200, body = TranslationEngineView), WriteErrors))]
#[patch("/translation-engines/{id}")]
pub async fn update_translation_engine(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateTranslationEngineRequest>,
) -> Result<web::Json<TranslationEngineView>, ApiError> {
    authed.require(Action::TranslationEnginesWrite)?;
    let scope = authed.scope();
    let id = id.to_string();
    let existing = {
        let id = id.clone();
        state
            .store
            .read(scope, move |c| {
                repo::get(c, &scope, &id)?
                    .map(|row| config(c, &scope, row))
                    .transpose()
            })
            .await?
            .ok_or_else(not_found)?
    };
    let kind = EngineKind::parse(&existing.engine.kind).unwrap_or(EngineKind::Libretranslate);
    let body = body.into_inner();
    let mut v = Validator::default();
    let name = body.name.as_deref().map(|n| n.trim().to_string());
    if let Some(n) = &name {
        check_name(&mut v, n);
    }
    let api_key: Option<Option<String>> = body
        .api_key
        .map(|k| k.map(|k| k.trim().to_string()).filter(|k| !k.is_empty()));
    match &api_key {
        Some(Some(k)) => check_api_key(&mut v, k),
        Some(None) => v.check(
            kind != EngineKind::Deepl,
            "api_key",
            "DeepL needs an API key",
        ),
        None => {}
    }
    v.check(
        !(api_key.is_some() && body.credential_id.is_some()),
        "credential_id",
        "send either `api_key` or `credential_id`, not both",
    );
    let base_url = match &body.base_url {
        Some(url) => Some(checked_base_url(&state, &mut v, url).await),
        None => None,
    };
    v.finish()?;
    let new_url = base_url
        .clone()
        .unwrap_or_else(|| existing.engine.base_url.clone());
    let origin = crate::fetch::origin(&new_url);
    // The stored key was entered for the old host: it is never sent to a new one. Moving an
    // engine that has a key takes the key again (or `api_key: null` to drop it), or a
    // credential bound to the new host.
    let moves = origin != crate::fetch::origin(&existing.engine.base_url);
    let has_key =
        existing.engine.credential_id.is_some() || existing.engine.api_key_sealed.is_some();
    if moves && has_key && api_key.is_none() && body.credential_id.is_none() {
        return Err(ApiError::new(
            Code::TranslationEngineKeyRequired,
            "Changing base_url to another host requires the API key again: send `api_key` (or \
             a `credential_id` bound to the new host) with the new `base_url` (the stored key \
             is never sent to a new host)",
        ));
    }
    let linked = match body.credential_id {
        Some(cid) => Some(usable_credential(&state, &authed, cid, kind, &new_url).await?),
        None => None,
    };
    let mut changed: Vec<&str> = Vec::new();
    for (field, set) in [
        ("name", name.is_some()),
        ("base_url", base_url.is_some()),
        ("api_key", api_key.is_some()),
        ("credential_id", linked.is_some()),
    ] {
        if set {
            changed.push(field);
        }
    }
    let credentials = state.credentials.clone();
    let tenant_id = existing.engine.tenant_id.clone();
    let engine_name = name.clone().unwrap_or_else(|| existing.engine.name.clone());
    let created_by = Some(authed.principal.user_id.to_string());
    let mut form = TranslationEngineForm {
        name,
        base_url,
        updated_at: Some(store::now()),
        ..Default::default()
    };
    if api_key.is_some() || linked.is_some() {
        // Whatever key the engine had before workspace credentials is gone now.
        form.api_key_sealed = Some(None);
        form.api_key_hint = Some(None);
    }
    let actor = Actor::of(&authed);
    let row = state
        .store
        .write(scope, move |c| {
            if let Some(n) = &form.name {
                if repo::find(c, &scope, n)?.is_some_and(|other| other.id != id) {
                    return Err(StoreError::UniqueViolation("name".into()));
                }
            }
            match (&api_key, &linked) {
                (Some(Some(key)), _) => {
                    // The engine's own credential (no other engine uses it) is rotated in
                    // place; otherwise the key becomes a new credential.
                    let own = match &existing.credential {
                        Some(cred) => {
                            let users = credentials_repo::engines_using(c, &scope, &cred.id)?;
                            (users.len() == 1 && users[0].0 == id).then(|| cred.clone())
                        }
                        None => None,
                    };
                    match own {
                        Some(cred) => {
                            let rotation = credentials.rotation(&cred, key, Some(origin.clone()));
                            credentials_repo::update(c, &scope, &cred.id, &rotation)?;
                            audit_credential(c, &actor, "credential.rotate", &cred, serde_json::json!({"changed": ["value", "origin"], "via": "translation_engine"}))?;
                        }
                        None => {
                            let cred = credentials.new_row(
                                &tenant_id,
                                &engine_name,
                                provider_of(kind),
                                key,
                                origin.clone(),
                                created_by.clone(),
                            );
                            credentials_repo::insert(c, &cred)?;
                            audit_credential(c, &actor, "credential.create", &cred, serde_json::json!({"name": cred.name, "provider": cred.provider, "origin": cred.origin, "via": "translation_engine"}))?;
                            form.credential_id = Some(Some(cred.id));
                        }
                    }
                }
                (Some(None), _) => {
                    form.credential_id = Some(None);
                    form.api_key_sealed = Some(None);
                    form.api_key_hint = Some(None);
                }
                (None, Some((cred, must_bind))) => {
                    if *must_bind {
                        bind(c, &scope, &actor, cred, origin.clone())?;
                    }
                    form.credential_id = Some(Some(cred.id.clone()));
                }
                (None, None) => {}
            }
            if !repo::update(c, &scope, &id, &form)? {
                return Ok(None);
            }
            audit::record(
                c,
                &actor,
                Event {
                    action: "translation_engine.update",
                    target_type: "translation_engine",
                    target_id: Some(id.clone()),
                    tenant_id: Some(existing.engine.tenant_id.clone()),
                    reseller_id: None,
                    details: serde_json::json!({"changed": changed}),
                },
            )?;
            repo::get(c, &scope, &id)?
                .map(|row| config(c, &scope, row))
                .transpose()
        })
        .await
        .map_err(name_taken)?
        .ok_or_else(not_found)?;
    Ok(web::Json(TranslationEngineView::from(row)))
}

/// Deletes an engine (tenant admins). Jobs naming it fail from now on. Its workspace
/// credential stays in `/v1/credentials` (delete it there once no engine uses it).
#[utoipa::path(tag = "translation-engines", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/translation-engines/{id}")]
pub async fn delete_translation_engine(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::TranslationEnginesWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let found = state
        .store
        .write(scope, move |c| {
            let Some(row) = repo::get(c, &scope, &id)? else {
                return Ok(false);
            };
            repo::delete(c, &scope, &id)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "translation_engine.delete",
                    target_type: "translation_engine",
                    target_id: Some(id.clone()),
                    tenant_id: Some(row.tenant_id),
                    reseller_id: None,
                    details: serde_json::json!({"name": row.name, "credential_id": row.credential_id}),
                },
            )?;
            Ok(true)
        })
        .await?;
    if !found {
        return Err(not_found());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The language pairs an engine offers: `apertium` (the pairs installed on this server) or
/// one of the tenant's engines by id (asked live from its server).
#[utoipa::path(
    tag = "translation-engines",
    params(("engine" = String, Path, description = "`apertium` or an engine id")),
    responses(
        (status = 200, body = EngineLanguagesView),
        (status = 502, description = "The engine's server failed or refused the request", body = crate::error::Problem, content_type = "application/problem+json"),
        ReadErrors
    )
)]
#[get("/translation-engines/{engine}/languages")]
pub async fn list_engine_languages(
    state: web::Data<AppState>,
    authed: Authed,
    engine: web::Path<String>,
) -> Result<web::Json<EngineLanguagesView>, ApiError> {
    authed.require(Action::TranslationEnginesRead)?;
    let engine = engine.into_inner();
    if engine == APERTIUM {
        return Ok(web::Json(languages_view(
            APERTIUM.into(),
            APERTIUM.into(),
            state.translation.apertium().pairs(),
        )));
    }
    let id = Uuid::parse_str(&engine)
        .map_err(|_| not_found())?
        .to_string();
    let scope = authed.scope();
    let found = state
        .store
        .read(scope, move |c| {
            repo::get(c, &scope, &id)?
                .map(|row| config(c, &scope, row))
                .transpose()
        })
        .await?
        .ok_or_else(not_found)?;
    let engines = state.translation.clone();
    let (id, kind) = (found.engine.id.clone(), found.engine.kind.clone());
    let pairs = web::block(move || engines.build(&found)?.languages())
        .await
        .map_err(ApiError::internal)?
        .map_err(|e| ApiError::new(Code::TranslationEngineUnavailable, e.message))?;
    Ok(web::Json(languages_view(id, kind, &pairs)))
}

fn languages_view(engine: String, kind: String, pairs: &[LanguagePair]) -> EngineLanguagesView {
    let mut sources: Vec<String> = pairs.iter().map(|p| p.source.clone()).collect();
    let mut targets: Vec<String> = pairs.iter().map(|p| p.target.clone()).collect();
    sources.sort();
    sources.dedup();
    targets.sort();
    targets.dedup();
    EngineLanguagesView {
        engine,
        kind,
        pairs: pairs
            .iter()
            .map(|p| LanguagePairView {
                source: p.source.clone(),
                target: p.target.clone(),
            })
            .collect(),
        sources,
        targets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_hints() {
        let ok = |n: &str| {
            let mut v = Validator::default();
            check_name(&mut v, n);
            v.finish().is_ok()
        };
        assert!(ok("team-deepl") && ok("lt.eu_1") && ok("9x"));
        for bad in [
            "",
            "Team",
            "-x",
            "apertium",
            "a b",
            &"x".repeat(65),
            "0190a5c8-2c7b-7f4e-9a0e-3c4b5d6e7f80",
        ] {
            assert!(!ok(bad), "{bad}");
        }
        let hint = crate::credentials::hint;
        assert_eq!(hint("279a2e9d-83b3-c416:fx").as_deref(), Some("…6:fx"));
        assert_eq!(hint("short"), None);
    }
}
