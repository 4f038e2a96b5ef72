//! `/v1/translation-engines`: the LibreTranslate and DeepL servers a tenant's
//! `translate.text` nodes may use (by name), and the languages every engine offers.
//!
//! Tenant admins create, change and delete engines; every tenant user may list them. The
//! API key is sealed before it is stored (`crate::auth::sealing`) and never returned: views
//! say `has_api_key` and show its last characters. The base URL passes the SSRF guard when
//! saved and again on every request the engine makes (which connects only to the addresses
//! that passed). A stored key is bound to its host: changing `base_url` requires the key
//! again (`translation_engine_key_required`), so it is never sent somewhere new.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::store::repo::translation_engines::{
    self as repo, TranslationEngineForm, TranslationEngineRow,
};
use crate::store::{self, StoreError};
use crate::translation::{deepl, EngineKind};
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TranslationEngineRow> for TranslationEngineView {
    fn from(r: TranslationEngineRow) -> Self {
        TranslationEngineView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid(&r.tenant_id),
            name: r.name,
            kind: EngineKind::parse(&r.kind).unwrap_or(EngineKind::Libretranslate),
            base_url: r.base_url,
            has_api_key: r.api_key_sealed.is_some(),
            api_key_hint: r.api_key_hint,
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
    #[schema(example = "team-deepl")]
    pub name: String,
    #[schema(value_type = EngineKind)]
    pub kind: String,
    /// Required for LibreTranslate; DeepL defaults to `https://api-free.deepl.com` for
    /// keys ending in `:fx`, else `https://api.deepl.com`.
    pub base_url: Option<String>,
    /// Required for DeepL; optional for LibreTranslate (servers with `--api-keys`).
    pub api_key: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTranslationEngineRequest {
    pub name: Option<String>,
    pub base_url: Option<String>,
    /// A new key; `null` removes the stored one (LibreTranslate only).
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>)]
    pub api_key: Option<Option<String>>,
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
    v.check(
        (1..=500).contains(&key.len()) && !key.chars().any(|c| c.is_whitespace() || c.is_control()),
        "api_key",
        "must be 1–500 characters without spaces",
    );
}

/// The last four characters of a long enough key (a short key shows nothing).
fn hint(key: &str) -> Option<String> {
    let chars: Vec<char> = key.chars().collect();
    (chars.len() >= 12).then(|| format!("…{}", chars[chars.len() - 4..].iter().collect::<String>()))
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
    let base_url = match (kind, body.base_url.as_deref()) {
        (_, Some(url)) => Some(url.to_string()),
        (Some(EngineKind::Deepl), None) => api_key.map(|k| deepl::default_base_url(k).to_string()),
        _ => None,
    };
    match kind {
        Some(EngineKind::Deepl) => v.check(api_key.is_some(), "api_key", "DeepL needs an API key"),
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
    let id = store::new_id();
    let now = store::now();
    let row = TranslationEngineRow {
        api_key_sealed: api_key.map(|k| state.translation.seal_key(&tenant_id, &id, k)),
        api_key_hint: api_key.and_then(hint),
        id,
        tenant_id,
        name,
        kind: kind.as_str().into(),
        base_url,
        created_at: now,
        updated_at: now,
    };
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let row = state
        .store
        .write(scope, move |c| {
            if repo::find(c, &scope, &row.name)?.is_some() {
                return Err(StoreError::UniqueViolation("name".into()));
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
                    details: serde_json::json!({"name": row.name, "kind": row.kind, "base_url": row.base_url, "has_api_key": row.api_key_sealed.is_some()}),
                },
            )?;
            Ok(row)
        })
        .await
        .map_err(name_taken)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/translation-engines/{}", row.id)))
        .json(TranslationEngineView::from(row)))
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
        .read(scope, move |c| repo::list(c, &scope, &page))
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
    let row = state
        .store
        .read(scope, move |c| repo::get(c, &scope, &id))
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(TranslationEngineView::from(row)))
}

// Moving an engine that has a key (a new `base_url`) needs `api_key` in the same request:
// otherwise `422 translation_engine_key_required`, and nothing changes.
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
            .read(scope, move |c| repo::get(c, &scope, &id))
            .await?
            .ok_or_else(not_found)?
    };
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
            existing.kind != EngineKind::Deepl.as_str(),
            "api_key",
            "DeepL needs an API key",
        ),
        None => {}
    }
    let base_url = match &body.base_url {
        Some(url) => Some(checked_base_url(&state, &mut v, url).await),
        None => None,
    };
    v.finish()?;
    // The stored key was entered for the old host: it is never sent to a new one. Moving an
    // engine that has a key takes the key again (or `api_key: null` to drop it).
    let moves = base_url
        .as_deref()
        .is_some_and(|url| url != existing.base_url);
    if moves && existing.api_key_sealed.is_some() && api_key.is_none() {
        return Err(ApiError::new(
            Code::TranslationEngineKeyRequired,
            "Changing base_url requires the API key again: send `api_key` with the new \
             `base_url` (the stored key is never sent to a new host)",
        ));
    }
    let mut changed: Vec<&str> = Vec::new();
    for (field, set) in [
        ("name", name.is_some()),
        ("base_url", base_url.is_some()),
        ("api_key", api_key.is_some()),
    ] {
        if set {
            changed.push(field);
        }
    }
    let form = TranslationEngineForm {
        name,
        base_url,
        api_key_hint: api_key.as_ref().map(|k| k.as_deref().and_then(hint)),
        api_key_sealed: api_key.map(|k| {
            k.map(|k| {
                state
                    .translation
                    .seal_key(&existing.tenant_id, &existing.id, &k)
            })
        }),
        updated_at: Some(store::now()),
    };
    let actor = Actor::of(&authed);
    let row = state
        .store
        .write(scope, move |c| {
            if let Some(n) = &form.name {
                if repo::find(c, &scope, n)?.is_some_and(|other| other.id != id) {
                    return Err(StoreError::UniqueViolation("name".into()));
                }
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
                    tenant_id: Some(existing.tenant_id.clone()),
                    reseller_id: None,
                    details: serde_json::json!({"changed": changed}),
                },
            )?;
            repo::get(c, &scope, &id)
        })
        .await
        .map_err(name_taken)?
        .ok_or_else(not_found)?;
    Ok(web::Json(TranslationEngineView::from(row)))
}

/// Deletes an engine and its stored key (tenant admins). Jobs naming it fail from now on.
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
                    details: serde_json::json!({"name": row.name}),
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
    let row = state
        .store
        .read(scope, move |c| repo::get(c, &scope, &id))
        .await?
        .ok_or_else(not_found)?;
    let engines = state.translation.clone();
    let (id, kind) = (row.id.clone(), row.kind.clone());
    let pairs = web::block(move || engines.build(&row)?.languages())
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
        assert_eq!(hint("279a2e9d-83b3-c416:fx").as_deref(), Some("…6:fx"));
        assert_eq!(hint("short"), None);
    }
}
