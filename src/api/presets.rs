//! `/v1/presets`: node presets — named parameter sets for one node kind ("Spanish interviews:
//! base model, language es, word timestamps") that a graph node names with `preset`, its own
//! `params` overriding them key by key (issue 12, §2).
//!
//! - **Owners**: the platform (platform admins), a reseller (its admins) or a tenant (its
//!   admins) — whoever creates one owns it at their level. Each manages only its own; the
//!   platform every preset.
//! - **Sharing**, as for templates: platform presets are offered to every tenant; a reseller's
//!   to all its tenants (`all`) or to the tenants it lists (`selected`); a tenant's to its own
//!   users. Resellers also use platform presets (in their templates). What a caller is not
//!   offered is missing to it (404 `preset_not_found`, the same as an id that does not exist,
//!   and "no node preset … is offered to you" at `nodes/<id>/preset` in a graph).
//! - **Validation**: a preset's params are checked against its kind's JSON Schema when saved,
//!   and the merged params of every node naming it whenever a graph is validated.
//! - **Pinning**: a saved workflow keeps the reference; a job pins the values it was
//!   submitted with, and a template version the values it was saved with.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::error::{ApiError, Code};
use crate::store::repo::presets::{
    self as repo, Owner, PresetChanges, PresetFilter, PresetRow, PresetShareRow,
};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::Scope;
use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Who owns a preset (and so who is offered it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PresetOwner {
    /// Offered to every tenant.
    Platform,
    /// Offered to the reseller's tenants (all, or those it chose).
    Reseller,
    /// The tenant's own.
    Tenant,
}

impl From<Owner> for PresetOwner {
    fn from(o: Owner) -> Self {
        match o {
            Owner::Platform => PresetOwner::Platform,
            Owner::Reseller => PresetOwner::Reseller,
            Owner::Tenant => PresetOwner::Tenant,
        }
    }
}

impl From<PresetOwner> for Owner {
    fn from(o: PresetOwner) -> Self {
        match o {
            PresetOwner::Platform => Owner::Platform,
            PresetOwner::Reseller => Owner::Reseller,
            PresetOwner::Tenant => Owner::Tenant,
        }
    }
}

/// Who a reseller preset is offered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PresetShareMode {
    /// Every tenant of the owner (every tenant for a platform preset, the tenant's users for
    /// a tenant preset).
    All,
    /// Reseller presets only: the tenants listed in `tenant_ids`.
    Selected,
}

/// Sharing, as the preset's manager sees it (absent for everyone else).
#[derive(Debug, Serialize, ToSchema)]
pub struct PresetSharingView {
    pub mode: PresetShareMode,
    /// With `selected`: the tenants it is offered to.
    pub tenant_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresetView {
    pub id: Uuid,
    /// The node kind the params are for, e.g. `whisper.transcribe`.
    pub kind: String,
    pub name: String,
    pub description: Option<String>,
    /// Params of `kind` (valid against its schema when saved).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    pub owner: PresetOwner,
    /// The owning reseller (reseller presets).
    pub reseller_id: Option<Uuid>,
    /// The owning tenant (tenant presets).
    pub tenant_id: Option<Uuid>,
    /// Whether the caller may change, share and delete it.
    pub editable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing: Option<PresetSharingView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PresetView {
    fn of(r: PresetRow, scope: &Scope) -> Self {
        PresetView {
            id: super::parse_uuid(&r.id),
            owner: r.owner().into(),
            editable: r.managed_by(scope),
            kind: r.kind,
            name: r.name,
            description: r.description,
            params: serde_json::from_str(&r.params).unwrap_or_default(),
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            tenant_id: super::parse_uuid_opt(r.tenant_id.as_deref()),
            sharing: None,
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

list_view!(PresetList, PresetView);

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PresetSharingRequest {
    pub mode: PresetShareMode,
    /// With `selected`: tenants of the preset's reseller.
    #[serde(default)]
    pub tenant_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePresetRequest {
    /// A node kind of the registry (`GET /v1/nodes`), e.g. `whisper.transcribe`.
    pub kind: String,
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Params of `kind`, checked against its JSON Schema.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// Reseller presets: default offered to all the reseller's tenants.
    pub sharing: Option<PresetSharingRequest>,
}

/// The kind is fixed; new `params` replace the old ones whole.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePresetRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub description: Option<Option<String>>,
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PresetListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    /// Only presets of this node kind.
    pub kind: Option<String>,
    /// Only presets owned at this level.
    pub owner: Option<PresetOwner>,
    /// Case-insensitive substring of the name or description.
    pub q: Option<String>,
}

fn not_found() -> ApiError {
    ApiError::of(Code::PresetNotFound)
}

fn not_yours() -> ApiError {
    ApiError::forbidden(
        "Only the preset's owner may change it: platform presets are managed by platform \
         admins, a reseller's by its admins, a tenant's by its admins",
    )
}

/// The owner a preset created by this caller gets: (reseller_id, tenant_id).
fn author_owner(authed: &Authed) -> Result<(Option<String>, Option<String>), ApiError> {
    authed.require(Action::PresetsWrite)?;
    Ok(match authed.scope() {
        Scope::Platform | Scope::System => (None, None),
        Scope::Reseller { reseller_id } => (Some(reseller_id.to_string()), None),
        Scope::Tenant { tenant_id, .. } => (None, Some(tenant_id.to_string())),
    })
}

fn check_meta(v: &mut Validator, name: Option<&str>, description: Option<&str>) {
    if let Some(n) = name {
        v.text("name", n, 255);
    }
    if let Some(d) = description {
        v.check(
            d.chars().count() <= 2000,
            "description",
            "must be at most 2000 characters",
        );
    }
}

/// Checks `params` against `kind`'s schema (the node's own check, the one graph validation
/// uses) and the size limit; returns them as stored.
fn checked_params(
    state: &AppState,
    v: &mut Validator,
    kind: &str,
    params: &serde_json::Value,
) -> String {
    let Some(node) = state.registry.get(kind) else {
        v.push(
            "kind",
            format!(
                "unknown node kind `{kind}` (known: {})",
                state.registry.kinds().join(", ")
            ),
        );
        return String::new();
    };
    if !params.is_object() {
        v.push("params", "must be an object of the node kind's params");
        return String::new();
    }
    let text = params.to_string();
    if text.len() > state.settings.max_node_params_bytes {
        v.push(
            "params",
            format!(
                "{} bytes; a node's params may have at most {}",
                text.len(),
                state.settings.max_node_params_bytes
            ),
        );
        return text;
    }
    if let Err(e) = node.validate_params(params) {
        v.push("params", e.message);
    }
    text
}

/// Checks a share list: `selected` only for reseller presets, and only that reseller's
/// tenants (anything else is a missing tenant).
fn share_rows(
    c: &mut DbConn,
    preset: &PresetRow,
    sharing: &PresetSharingRequest,
) -> Result<Result<Vec<PresetShareRow>, ApiError>, StoreError> {
    if sharing.mode == PresetShareMode::All {
        return Ok(Ok(Vec::new()));
    }
    let Some(reseller) = preset
        .reseller_id
        .as_ref()
        .filter(|_| preset.tenant_id.is_none())
    else {
        return Ok(Err(ApiError::field(
            "sharing/mode",
            "only reseller presets are shared with chosen tenants: platform presets are \
             offered to every tenant, a tenant's to its own users",
        )));
    };
    let tenants = match super::templates::chosen_tenants(c, reseller, &sharing.tenant_ids)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let now = store::now();
    Ok(Ok(tenants
        .into_iter()
        .map(|tenant_id| PresetShareRow {
            preset_id: preset.id.clone(),
            tenant_id,
            reseller_id: reseller.clone(),
            created_at: now,
        })
        .collect()))
}

fn audit_event(
    c: &mut DbConn,
    actor: &Actor,
    action: &'static str,
    preset: &PresetRow,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    audit::record(
        c,
        actor,
        Event {
            action,
            target_type: "preset",
            target_id: Some(preset.id.clone()),
            tenant_id: preset.tenant_id.clone(),
            reseller_id: preset.reseller_id.clone(),
            details,
        },
    )
}

/// The item view, with the share list for whoever manages the preset.
fn item_view(c: &mut DbConn, scope: &Scope, row: PresetRow) -> Result<PresetView, StoreError> {
    let managed = row.managed_by(scope);
    let id = row.id.clone();
    let mode = if row.share_mode == "selected" {
        PresetShareMode::Selected
    } else {
        PresetShareMode::All
    };
    let mut view = PresetView::of(row, scope);
    if managed {
        view.sharing = Some(PresetSharingView {
            mode,
            tenant_ids: repo::shares(c, &id)?
                .iter()
                .map(|t| super::parse_uuid(t))
                .collect(),
        });
    }
    Ok(view)
}

/// Creates a preset owned at the caller's level: the platform's (platform admins), the
/// reseller's (reseller admins) or the tenant's (tenant admins).
#[utoipa::path(tag = "presets", request_body = CreatePresetRequest, responses((status = 201, body = PresetView), WriteErrors))]
#[post("/presets")]
pub async fn create_preset(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreatePresetRequest>,
) -> Result<HttpResponse, ApiError> {
    let (reseller_id, tenant_id) = author_owner(&authed)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    check_meta(&mut v, Some(&body.name), body.description.as_deref());
    let kind = body.kind.trim().to_string();
    let params = checked_params(&state, &mut v, &kind, &body.params);
    v.finish()?;
    let now = store::now();
    let sharing = body.sharing.unwrap_or(PresetSharingRequest {
        mode: PresetShareMode::All,
        tenant_ids: Vec::new(),
    });
    let row = PresetRow {
        id: store::new_id(),
        reseller_id,
        tenant_id,
        kind,
        name: body.name.trim().to_string(),
        description: body.description,
        params,
        share_mode: match sharing.mode {
            PresetShareMode::All => "all".into(),
            PresetShareMode::Selected => "selected".into(),
        },
        created_by: Some(authed.principal.user_id.to_string()),
        created_at: now,
        updated_at: now,
    };
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let view = state
        .store
        .write(scope, move |c| {
            let shares = match share_rows(c, &row, &sharing)? {
                Ok(s) => s,
                Err(e) => return Ok(Err(e)),
            };
            repo::insert(c, &row)?;
            repo::replace_shares(c, &row.id, &shares)?;
            audit_event(
                c,
                &actor,
                "preset.create",
                &row,
                serde_json::json!({"name": row.name, "kind": row.kind}),
            )?;
            item_view(c, &scope, row).map(Ok)
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/presets/{}", view.id)))
        .json(view))
}

/// Lists the presets the caller may use, newest first: for a tenant, the platform's, those
/// its reseller offers it and its own; for a reseller, its own and the platform's.
#[utoipa::path(tag = "presets", params(PresetListQuery), responses((status = 200, body = PresetList), ReadErrors))]
#[get("/presets")]
pub async fn list_presets(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<PresetListQuery>,
) -> Result<web::Json<PresetList>, ApiError> {
    authed.require(Action::PresetsRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let filter = PresetFilter {
        kind: q.kind,
        owner: q.owner.map(Owner::from),
        text: q.q,
    };
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| repo::list(c, &scope, &page, &filter))
        .await?;
    Ok(web::Json(PresetList::from_page(
        rows.map(|r| PresetView::of(r, &scope)),
    )))
}

/// Reads a preset the caller may use.
#[utoipa::path(tag = "presets", params(("id" = Uuid, Path)), responses((status = 200, body = PresetView), ReadErrors))]
#[get("/presets/{id}")]
pub async fn get_preset(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<PresetView>, ApiError> {
    authed.require(Action::PresetsRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let view = state
        .store
        .read(scope, move |c| match repo::get(c, &scope, &id)? {
            Some(row) => item_view(c, &scope, row).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(view))
}

/// The preset `id` if the caller may manage it: missing when not offered to it, 403 when it
/// is offered but someone else's.
fn managed(
    c: &mut DbConn,
    scope: &Scope,
    id: &str,
) -> Result<Result<PresetRow, ApiError>, StoreError> {
    Ok(match repo::get(c, scope, id)? {
        None => Err(not_found()),
        Some(row) if !row.managed_by(scope) => Err(not_yours()),
        Some(row) => Ok(row),
    })
}

/// Changes a preset's name, description or params (checked against its kind's schema). Saved
/// workflows naming it run with the new params from their next job on; jobs already
/// submitted and template versions keep the params they pinned.
#[utoipa::path(tag = "presets", params(("id" = Uuid, Path)), request_body = UpdatePresetRequest, responses((status = 200, body = PresetView), WriteErrors))]
#[patch("/presets/{id}")]
pub async fn update_preset(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdatePresetRequest>,
) -> Result<web::Json<PresetView>, ApiError> {
    authed.require(Action::PresetsWrite)?;
    let body = body.into_inner();
    let scope = authed.scope();
    let id = id.to_string();
    let current = {
        let id = id.clone();
        state
            .store
            .read(scope, move |c| managed(c, &scope, &id))
            .await??
    };
    let mut v = Validator::default();
    check_meta(
        &mut v,
        body.name.as_deref(),
        body.description.as_ref().and_then(|d| d.as_deref()),
    );
    let params = body
        .params
        .as_ref()
        .map(|p| checked_params(&state, &mut v, &current.kind, p));
    v.finish()?;
    let actor = Actor::of(&authed);
    let view = state
        .store
        .write(scope, move |c| {
            if let Err(e) = managed(c, &scope, &id)? {
                return Ok(Err(e));
            }
            let changed: Vec<&str> = [
                body.name.as_ref().map(|_| "name"),
                body.description.as_ref().map(|_| "description"),
                params.as_ref().map(|_| "params"),
            ]
            .into_iter()
            .flatten()
            .collect();
            repo::update(
                c,
                &id,
                &PresetChanges {
                    name: body.name.map(|n| n.trim().to_string()),
                    description: body.description,
                    params,
                    updated_at: Some(store::now()),
                    ..Default::default()
                },
            )?;
            let Some(updated) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            audit_event(
                c,
                &actor,
                "preset.update",
                &updated,
                serde_json::json!({"changed": changed}),
            )?;
            item_view(c, &scope, updated).map(Ok)
        })
        .await??;
    Ok(web::Json(view))
}

/// Replaces who a reseller preset is offered to.
#[utoipa::path(tag = "presets", params(("id" = Uuid, Path)), request_body = PresetSharingRequest, responses((status = 200, body = PresetView), WriteErrors))]
#[put("/presets/{id}/sharing")]
pub async fn set_preset_sharing(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<PresetSharingRequest>,
) -> Result<web::Json<PresetView>, ApiError> {
    authed.require(Action::PresetsWrite)?;
    let sharing = body.into_inner();
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let view = state
        .store
        .write(scope, move |c| {
            let p = match managed(c, &scope, &id)? {
                Ok(p) => p,
                Err(e) => return Ok(Err(e)),
            };
            let rows = match share_rows(c, &p, &sharing)? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            repo::replace_shares(c, &id, &rows)?;
            repo::update(
                c,
                &id,
                &PresetChanges {
                    share_mode: Some(
                        match sharing.mode {
                            PresetShareMode::All => "all",
                            PresetShareMode::Selected => "selected",
                        }
                        .into(),
                    ),
                    updated_at: Some(store::now()),
                    ..Default::default()
                },
            )?;
            let Some(updated) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            audit_event(
                c,
                &actor,
                "preset.share",
                &updated,
                serde_json::json!({"mode": updated.share_mode, "tenants": rows.len()}),
            )?;
            item_view(c, &scope, updated).map(Ok)
        })
        .await??;
    Ok(web::Json(view))
}

/// Deletes a preset. Jobs and template versions that pinned it keep its params; a saved
/// workflow still naming it fails validation (`nodes/<id>/preset`) until it is edited.
#[utoipa::path(tag = "presets", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/presets/{id}")]
pub async fn delete_preset(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::PresetsWrite)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let p = match managed(c, &scope, &id)? {
                Ok(p) => p,
                Err(e) => return Ok(Err(e)),
            };
            repo::delete(c, &id)?;
            audit_event(
                c,
                &actor,
                "preset.delete",
                &p,
                serde_json::json!({"name": p.name, "kind": p.kind}),
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}

/// One preset a caller may use, as `GET /v1/nodes` lists them per kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PresetRef {
    pub id: Uuid,
    pub name: String,
    pub owner: PresetOwner,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// How many presets `GET /v1/nodes` lists per caller (over all kinds), oldest first.
pub const NODES_PRESET_LIMIT: i64 = 1000;

/// The presets the caller may use, per kind; `None` without `presets:read`.
pub async fn usable_by_kind(
    state: &AppState,
    authed: &Authed,
) -> Result<Option<std::collections::BTreeMap<String, Vec<PresetRef>>>, ApiError> {
    if authed.require(Action::PresetsRead).is_err() {
        return Ok(None);
    }
    let scope = authed.scope();
    let rows = state
        .store
        .read(scope, move |c| repo::usable(c, &scope, NODES_PRESET_LIMIT))
        .await?;
    let mut out: std::collections::BTreeMap<String, Vec<PresetRef>> = Default::default();
    for r in rows {
        out.entry(r.kind.clone()).or_default().push(PresetRef {
            id: super::parse_uuid(&r.id),
            owner: r.owner().into(),
            name: r.name,
            description: r.description,
        });
    }
    Ok(Some(out))
}
