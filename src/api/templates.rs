//! `/v1/templates`: workflow templates that platform and reseller admins author and offer to
//! tenants (issue 12, §2).
//!
//! - **Authoring** (`templates:write`, platform or reseller admins): every save appends an
//!   immutable version; `publish` offers a version, `deprecate` withdraws the template.
//!   States: `draft` (nothing published yet) → `published` → `deprecated`.
//! - **Sharing**: platform templates are offered to every tenant; a reseller's to all its
//!   tenants (`all`) or to the tenants it lists (`selected`). What a tenant is not offered
//!   is missing to it (404 `template_not_found`, the same as an id that does not exist).
//! - **Tenants** (`templates:read`): list and read what is offered (published versions only),
//!   instantiate a version into a workflow (`workflows:write`) that records the template and
//!   version, and upgrade that workflow when a newer version is published. Running a template
//!   version is `POST /v1/jobs` with `template_id` (+ `version`): the same parse → admit →
//!   render path as every job. A deprecated template takes no new instances, runs or
//!   upgrades; existing instances are copies and keep running.

use super::workflows::{version_row, WorkflowView};
use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::engine::graph::Graph;
use crate::error::{ApiError, Code};
use crate::store::repo::templates::{
    self as repo, TemplateChanges, TemplateFilter, TemplateRow, TemplateShareRow,
    TemplateVersionRow,
};
use crate::store::repo::workflows::{self as workflows_repo, WorkflowChanges, WorkflowRow};
use crate::store::{self, DbConn, StoreError};
use crate::tenancy::Scope;
use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A template's life: `draft` (no version published yet) → `published` → `deprecated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemplateStatus {
    Draft,
    Published,
    Deprecated,
}

impl TemplateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateStatus::Draft => "draft",
            TemplateStatus::Published => "published",
            TemplateStatus::Deprecated => "deprecated",
        }
    }

    fn parse(s: &str) -> TemplateStatus {
        match s {
            "published" => TemplateStatus::Published,
            "deprecated" => TemplateStatus::Deprecated,
            _ => TemplateStatus::Draft,
        }
    }
}

/// Who a reseller template is offered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShareMode {
    /// Every tenant of the owner (every tenant at all for a platform template).
    All,
    /// Only the tenants listed in `tenant_ids`.
    Selected,
}

/// Sharing, as the owner sees it (absent for tenants).
#[derive(Debug, Serialize, ToSchema)]
pub struct SharingView {
    pub mode: ShareMode,
    /// With `selected`: the tenants it is offered to.
    pub tenant_ids: Vec<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateView {
    pub id: Uuid,
    /// The owning reseller; null for a platform template.
    pub reseller_id: Option<Uuid>,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// An http(s) URL of a preview image.
    pub preview_image_url: Option<String>,
    pub status: TemplateStatus,
    /// The newest version (owners); tenants only ever see published versions.
    pub current_version: Option<i32>,
    /// The newest published version (what instances upgrade to); null while a draft.
    pub published_version: Option<i32>,
    /// The graph of `published_version` for tenants, of `current_version` for owners
    /// (item reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph: Option<Graph>,
    /// Input node id → what to give it (item reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inputs: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing: Option<SharingView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TemplateView {
    fn of(r: TemplateRow, owner: bool) -> Self {
        TemplateView {
            id: super::parse_uuid(&r.id),
            reseller_id: super::parse_uuid_opt(r.reseller_id.as_deref()),
            name: r.name,
            description: r.description,
            category: r.category,
            tags: serde_json::from_str(&r.tags).unwrap_or_default(),
            preview_image_url: r.preview_image_url,
            status: TemplateStatus::parse(&r.status),
            current_version: if owner {
                Some(r.current_version)
            } else {
                r.published_version
            },
            published_version: r.published_version,
            graph: None,
            inputs: None,
            sharing: None,
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

/// One immutable version of a template.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateVersionView {
    pub template_id: Uuid,
    pub version: i32,
    pub name: String,
    pub description: Option<String>,
    pub graph: Graph,
    /// Input node id → what to give it.
    pub inputs: BTreeMap<String, String>,
    /// When it was published; null for an unpublished version (owners only see those).
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn graph_of(config: &str) -> Graph {
    serde_json::from_str(config).unwrap_or(Graph {
        nodes: vec![],
        edges: vec![],
    })
}

impl From<TemplateVersionRow> for TemplateVersionView {
    fn from(r: TemplateVersionRow) -> Self {
        TemplateVersionView {
            template_id: super::parse_uuid(&r.template_id),
            version: r.version,
            name: r.name,
            description: r.description,
            graph: graph_of(&r.config),
            inputs: serde_json::from_str(&r.inputs_doc).unwrap_or_default(),
            published_at: r.published_at.map(super::utc),
            created_at: super::utc(r.created_at),
        }
    }
}

list_view!(TemplateList, TemplateView);

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateVersionList {
    pub items: Vec<TemplateVersionView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharingRequest {
    pub mode: ShareMode,
    /// With `selected`: tenants of the template's reseller.
    #[serde(default)]
    pub tenant_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTemplateRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub category: Option<String>,
    /// Lowercase letters, digits, `-`, `_` and spaces; at most 20.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub tags: Vec<String>,
    /// React Flow JSON (`nodes`, `edges`) or Flowise `flowData`, validated like a workflow's.
    #[schema(value_type = Object)]
    pub graph: serde_json::Value,
    /// Input node id → what to give it (every key must be a node taking a file input).
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// An http(s) URL of a preview image.
    #[schema(pattern = "^https?://", max_length = 2000)]
    pub preview_image_url: Option<String>,
    /// Default: offered to all (of the reseller's) tenants once published.
    pub sharing: Option<SharingRequest>,
}

/// Any change records a new version (draft until published).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTemplateRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, max_length = 10000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100, pattern = r"\S")]
    pub category: Option<Option<String>>,
    #[schema(max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[schema(value_type = Option<Object>)]
    pub graph: Option<serde_json::Value>,
    pub inputs: Option<BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, pattern = "^https?://", max_length = 2000)]
    pub preview_image_url: Option<Option<String>>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishTemplateRequest {
    /// The version to publish (default: the newest).
    pub version: Option<i32>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstantiateTemplateRequest {
    /// A published version (default: the newest published).
    pub version: Option<i32>,
    /// The workflow's name (default: the template version's).
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: Option<String>,
    /// Share the new workflow within the tenant.
    #[serde(default)]
    pub is_public: bool,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpgradeWorkflowRequest {
    /// A newer published version of the template (default: the newest published).
    pub version: Option<i32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TemplateListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    /// Case-insensitive substring of the name or description.
    pub q: Option<String>,
    /// Owners only: templates in this state (tenants see published templates).
    pub status: Option<TemplateStatus>,
}

fn not_found() -> ApiError {
    ApiError::of(Code::TemplateNotFound)
}

fn version_not_found(number: i32) -> ApiError {
    ApiError::new(
        Code::TemplateVersionNotFound,
        format!("The template has no published version {number}"),
    )
}

fn deprecated() -> ApiError {
    ApiError::new(
        Code::TemplateDeprecated,
        "The template is deprecated: it takes no new instances, runs or upgrades (existing instances keep working)",
    )
}

/// The owner a template created by this caller gets: `None` for the platform, the
/// reseller for a reseller admin. Tenant users never author templates.
fn author_owner(authed: &Authed) -> Result<Option<String>, ApiError> {
    authed.require(Action::TemplatesWrite)?;
    match authed.scope() {
        Scope::Platform | Scope::System => Ok(None),
        Scope::Reseller { reseller_id } => Ok(Some(reseller_id.to_string())),
        Scope::Tenant { .. } => Err(ApiError::forbidden(
            "Templates are authored by platform and reseller admins",
        )),
    }
}

fn normalize_tags(v: &mut Validator, tags: &[String]) -> Vec<String> {
    v.check(tags.len() <= 20, "tags", "at most 20 tags");
    let mut out: Vec<String> = Vec::new();
    for (i, tag) in tags.iter().enumerate() {
        let tag = tag.trim().to_lowercase();
        let ok = !tag.is_empty()
            && tag.chars().count() <= 40
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '));
        v.check(
            ok,
            &format!("tags/{i}"),
            "1 to 40 lowercase letters, digits, `-`, `_` or spaces",
        );
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

fn check_meta(
    v: &mut Validator,
    name: Option<&str>,
    description: Option<&str>,
    category: Option<&str>,
    preview: Option<&str>,
) {
    if let Some(n) = name {
        v.text("name", n, 255);
    }
    if let Some(d) = description {
        v.check(
            d.chars().count() <= 10_000,
            "description",
            "must be at most 10000 characters",
        );
    }
    if let Some(c) = category {
        v.text("category", c, 100);
    }
    if let Some(p) = preview {
        v.check(
            (p.starts_with("https://") || p.starts_with("http://")) && p.len() <= 2000,
            "preview_image_url",
            "must be an http(s) URL of at most 2000 characters",
        );
    }
}

/// Validates the graph and that every documented input is one of its file inputs. A template
/// version keeps its presets pinned (their params merged in, as the author may use them), so
/// a version stays what was published whatever happens to the presets, and tenants run it
/// whether or not the presets are offered to them.
async fn checked(
    state: &AppState,
    authed: &Authed,
    graph: &serde_json::Value,
    inputs: &BTreeMap<String, String>,
) -> Result<String, ApiError> {
    let checked = super::graphs::checked_graph(state, authed, graph).await?;
    with_inputs(checked, inputs)
}

/// [`checked`] for a graph already in normal form (a saved version's).
async fn checked_saved(
    state: &AppState,
    authed: &Authed,
    config: &str,
    inputs: &BTreeMap<String, String>,
) -> Result<String, ApiError> {
    let graph: Graph = serde_json::from_str(config).map_err(ApiError::internal)?;
    let checked = super::graphs::validate_off_executor(state, authed, graph, "graph/").await?;
    with_inputs(checked, inputs)
}

fn with_inputs(
    checked: super::graphs::Checked,
    inputs: &BTreeMap<String, String>,
) -> Result<String, ApiError> {
    let plan = &checked.plan;
    let mut v = Validator::default();
    for (node, doc) in inputs {
        v.check(
            plan.inputs.iter().any(|i| &i.node_id == node),
            &format!("inputs/{node}"),
            "no node of the graph takes a file input by this id",
        );
        v.check(
            doc.chars().count() <= 2000,
            &format!("inputs/{node}"),
            "must be at most 2000 characters",
        );
    }
    v.finish()?;
    serde_json::to_string(&checked.pinned).map_err(ApiError::internal)
}

/// Checks a share list: `selected` only for reseller templates, and only that reseller's
/// tenants (anything else is a missing tenant).
fn share_rows(
    c: &mut DbConn,
    template: &TemplateRow,
    sharing: &SharingRequest,
) -> Result<Result<Vec<TemplateShareRow>, ApiError>, StoreError> {
    let Some(reseller) = &template.reseller_id else {
        if sharing.mode == ShareMode::Selected {
            return Ok(Err(ApiError::field(
                "sharing/mode",
                "platform templates are offered to every tenant",
            )));
        }
        return Ok(Ok(Vec::new()));
    };
    if sharing.mode == ShareMode::All {
        return Ok(Ok(Vec::new()));
    }
    let tenants = match chosen_tenants(c, reseller, &sharing.tenant_ids)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let now = store::now();
    Ok(Ok(tenants
        .into_iter()
        .map(|tenant_id| TemplateShareRow {
            template_id: template.id.clone(),
            tenant_id,
            reseller_id: reseller.clone(),
            created_at: now,
        })
        .collect()))
}

/// The tenants a reseller shares something with (`sharing.tenant_ids`, templates and
/// presets alike): each must be one of the reseller's (else a problem naming its index),
/// each listed once, in the order given.
pub(crate) fn chosen_tenants(
    c: &mut DbConn,
    reseller: &str,
    tenant_ids: &[Uuid],
) -> Result<Result<Vec<String>, ApiError>, StoreError> {
    let wanted: Vec<String> = tenant_ids.iter().map(|t| t.to_string()).collect();
    let owned = repo::tenants_of(c, reseller, &wanted)?;
    let mut chosen: Vec<String> = Vec::new();
    for (i, t) in wanted.into_iter().enumerate() {
        if !owned.contains(&t) {
            return Ok(Err(ApiError::field(
                &format!("sharing/tenant_ids/{i}"),
                format!("no tenant {t}"),
            )));
        }
        if !chosen.contains(&t) {
            chosen.push(t);
        }
    }
    Ok(Ok(chosen))
}

fn audit_event(
    c: &mut DbConn,
    actor: &Actor,
    action: &'static str,
    template: &TemplateRow,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    audit::record(
        c,
        actor,
        Event {
            action,
            target_type: "template",
            target_id: Some(template.id.clone()),
            tenant_id: None,
            reseller_id: template.reseller_id.clone(),
            details,
        },
    )
}

/// The item view: the graph and inputs of the version the caller sees, and the share list
/// for owners.
fn item_view(c: &mut DbConn, scope: &Scope, row: TemplateRow) -> Result<TemplateView, StoreError> {
    let owner = repo::is_owner(scope);
    let id = row.id.clone();
    let number = if owner {
        Some(row.current_version)
    } else {
        row.published_version
    };
    let mode = if row.share_mode == "selected" {
        ShareMode::Selected
    } else {
        ShareMode::All
    };
    let mut view = TemplateView::of(row, owner);
    if let Some(n) = number {
        if let Some(v) = repo::version(c, scope, &id, n)? {
            view.graph = Some(graph_of(&v.config));
            view.inputs = Some(serde_json::from_str(&v.inputs_doc).unwrap_or_default());
        }
    }
    if owner {
        view.sharing = Some(SharingView {
            mode,
            tenant_ids: repo::shares(c, &id)?
                .iter()
                .map(|t| super::parse_uuid(t))
                .collect(),
        });
    }
    Ok(view)
}

/// Creates a template (version 1, a draft).
#[utoipa::path(tag = "templates", request_body = CreateTemplateRequest, responses((status = 201, body = TemplateView), WriteErrors))]
#[post("/templates")]
pub async fn create_template(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let owner = author_owner(&authed)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    check_meta(
        &mut v,
        Some(&body.name),
        body.description.as_deref(),
        body.category.as_deref(),
        body.preview_image_url.as_deref(),
    );
    let tags = normalize_tags(&mut v, &body.tags);
    v.finish()?;
    let config = checked(&state, &authed, &body.graph, &body.inputs).await?;
    let now = store::now();
    let me = authed.principal.user_id.to_string();
    let sharing = body.sharing.unwrap_or(SharingRequest {
        mode: ShareMode::All,
        tenant_ids: Vec::new(),
    });
    let row = TemplateRow {
        id: store::new_id(),
        reseller_id: owner,
        name: body.name.trim().to_string(),
        description: body.description,
        category: body.category.map(|c| c.trim().to_string()),
        tags: serde_json::to_string(&tags).map_err(ApiError::internal)?,
        preview_image_url: body.preview_image_url,
        status: TemplateStatus::Draft.as_str().into(),
        share_mode: match sharing.mode {
            ShareMode::All => "all".into(),
            ShareMode::Selected => "selected".into(),
        },
        current_version: 1,
        published_version: None,
        created_by: Some(me.clone()),
        created_at: now,
        updated_at: now,
    };
    let version = TemplateVersionRow {
        id: store::new_id(),
        template_id: row.id.clone(),
        reseller_id: row.reseller_id.clone(),
        version: 1,
        name: row.name.clone(),
        description: row.description.clone(),
        config,
        inputs_doc: serde_json::to_string(&body.inputs).map_err(ApiError::internal)?,
        published_at: None,
        created_by: Some(me),
        created_at: now,
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
            repo::insert(c, &row, &version)?;
            repo::replace_shares(c, &row.id, &shares)?;
            audit_event(
                c,
                &actor,
                "template.create",
                &row,
                serde_json::json!({"name": row.name, "version": 1}),
            )?;
            item_view(c, &scope, row).map(Ok)
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/templates/{}", view.id)))
        .json(view))
}

/// Lists templates: an owner's own (every state), or those offered to a tenant (published).
#[utoipa::path(tag = "templates", params(TemplateListQuery), responses((status = 200, body = TemplateList), ReadErrors))]
#[get("/templates")]
pub async fn list_templates(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<TemplateListQuery>,
) -> Result<web::Json<TemplateList>, ApiError> {
    authed.require(Action::TemplatesRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let scope = authed.scope();
    let owner = repo::is_owner(&scope);
    let status = if owner {
        q.status.map(|s| s.as_str().to_string())
    } else {
        // A deprecated template is no longer on offer (its instances still read it by id).
        Some(TemplateStatus::Published.as_str().to_string())
    };
    let filter = TemplateFilter {
        category: q.category,
        tag: q.tag.map(|t| t.trim().to_lowercase()),
        text: q.q,
        status,
    };
    let rows = state
        .store
        .read(scope, move |c| repo::list(c, &scope, &page, &filter))
        .await?;
    Ok(web::Json(TemplateList::from_page(
        rows.map(|r| TemplateView::of(r, owner)),
    )))
}

/// Reads a template (for a tenant: its newest published version).
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), responses((status = 200, body = TemplateView), ReadErrors))]
#[get("/templates/{id}")]
pub async fn get_template(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<TemplateView>, ApiError> {
    authed.require(Action::TemplatesRead)?;
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

/// Lists a template's versions, newest first (tenants: published ones).
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), responses((status = 200, body = TemplateVersionList), ReadErrors))]
#[get("/templates/{id}/versions")]
pub async fn list_template_versions(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<TemplateVersionList>, ApiError> {
    authed.require(Action::TemplatesRead)?;
    let scope = authed.scope();
    let id = id.to_string();
    let rows = state
        .store
        .read(scope, move |c| {
            if repo::get(c, &scope, &id)?.is_none() {
                return Ok(None);
            }
            repo::versions(c, &scope, &id).map(Some)
        })
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(TemplateVersionList {
        items: rows.into_iter().map(TemplateVersionView::from).collect(),
    }))
}

/// Reads one version of a template (tenants: published versions only).
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path), ("version" = i32, Path)), responses((status = 200, body = TemplateVersionView), ReadErrors))]
#[get("/templates/{id}/versions/{version}")]
pub async fn get_template_version(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, i32)>,
) -> Result<web::Json<TemplateVersionView>, ApiError> {
    authed.require(Action::TemplatesRead)?;
    let (id, number) = path.into_inner();
    let scope = authed.scope();
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| {
            if repo::get(c, &scope, &id)?.is_none() {
                return Ok(Err(not_found()));
            }
            Ok(repo::version(c, &scope, &id, number)?.ok_or_else(|| version_not_found(number)))
        })
        .await??;
    Ok(web::Json(TemplateVersionView::from(row)))
}

/// Updates a template, recording a new (unpublished) version.
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), request_body = UpdateTemplateRequest, responses((status = 200, body = TemplateView), (status = 409, description = "The template is deprecated", body = crate::error::Problem, content_type = "application/problem+json"), WriteErrors))]
#[patch("/templates/{id}")]
pub async fn update_template(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateTemplateRequest>,
) -> Result<web::Json<TemplateView>, ApiError> {
    author_owner(&authed)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    check_meta(
        &mut v,
        body.name.as_deref(),
        body.description.as_ref().and_then(|d| d.as_deref()),
        body.category.as_ref().and_then(|d| d.as_deref()),
        body.preview_image_url.as_ref().and_then(|d| d.as_deref()),
    );
    let tags = body.tags.as_ref().map(|t| normalize_tags(&mut v, t));
    v.finish()?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let me = authed.principal.user_id.to_string();
    let id = id.to_string();
    let current = state
        .store
        .read(scope, {
            let id = id.clone();
            move |c| match repo::get(c, &scope, &id)? {
                Some(t) => Ok(repo::version(c, &scope, &id, t.current_version)?.map(|v| (t, v))),
                None => Ok(None),
            }
        })
        .await?
        .ok_or_else(not_found)?;
    if current.0.status == TemplateStatus::Deprecated.as_str() {
        return Err(deprecated());
    }
    // The graph and the inputs doc are checked together: a new graph against the documented
    // inputs (new or kept), new inputs against the graph (new or kept).
    let config = if body.graph.is_some() || body.inputs.is_some() {
        let inputs: BTreeMap<String, String> = match &body.inputs {
            Some(i) => i.clone(),
            None => serde_json::from_str(&current.1.inputs_doc).unwrap_or_default(),
        };
        match &body.graph {
            Some(g) => checked(&state, &authed, g, &inputs).await?,
            None => checked_saved(&state, &authed, &current.1.config, &inputs).await?,
        }
    } else {
        current.1.config.clone()
    };
    let inputs_doc = match &body.inputs {
        Some(i) => serde_json::to_string(i).map_err(ApiError::internal)?,
        None => current.1.inputs_doc.clone(),
    };
    let tags = match tags {
        Some(t) => Some(serde_json::to_string(&t).map_err(ApiError::internal)?),
        None => None,
    };
    let view = state
        .store
        .write(scope, move |c| {
            let Some(t) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            if t.status == TemplateStatus::Deprecated.as_str() {
                return Ok(Err(deprecated()));
            }
            let next = t.current_version + 1;
            let now = store::now();
            repo::update(
                c,
                &id,
                &TemplateChanges {
                    name: body.name.map(|n| n.trim().to_string()),
                    description: body.description,
                    category: body.category,
                    tags,
                    preview_image_url: body.preview_image_url,
                    current_version: Some(next),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            let Some(updated) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            repo::insert_version(
                c,
                &TemplateVersionRow {
                    id: store::new_id(),
                    template_id: id.clone(),
                    reseller_id: updated.reseller_id.clone(),
                    version: next,
                    name: updated.name.clone(),
                    description: updated.description.clone(),
                    config,
                    inputs_doc,
                    published_at: None,
                    created_by: Some(me),
                    created_at: now,
                },
            )?;
            audit_event(
                c,
                &actor,
                "template.update",
                &updated,
                serde_json::json!({"version": next}),
            )?;
            item_view(c, &scope, updated).map(Ok)
        })
        .await??;
    Ok(web::Json(view))
}

/// Publishes a version (default: the newest): tenants it is shared with see it, and
/// instances of older versions report `upgrade_available`.
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), request_body = PublishTemplateRequest, responses((status = 200, body = TemplateView), (status = 409, description = "The template is deprecated", body = crate::error::Problem, content_type = "application/problem+json"), WriteErrors))]
#[post("/templates/{id}/publish")]
pub async fn publish_template(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: Option<web::Json<PublishTemplateRequest>>,
) -> Result<web::Json<TemplateView>, ApiError> {
    author_owner(&authed)?;
    let wanted = body.and_then(|b| b.into_inner().version);
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let view = state
        .store
        .write(scope, move |c| {
            let Some(t) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            if t.status == TemplateStatus::Deprecated.as_str() {
                return Ok(Err(deprecated()));
            }
            let number = wanted.unwrap_or(t.current_version);
            if repo::version(c, &scope, &id, number)?.is_none() {
                return Ok(Err(ApiError::new(
                    Code::TemplateVersionNotFound,
                    format!("The template has no version {number}"),
                )));
            }
            let now = store::now();
            repo::publish_version(c, &id, number, now)?;
            repo::update(
                c,
                &id,
                &TemplateChanges {
                    status: Some(TemplateStatus::Published.as_str().into()),
                    published_version: Some(Some(t.published_version.unwrap_or(0).max(number))),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            let Some(updated) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            audit_event(
                c,
                &actor,
                "template.publish",
                &updated,
                serde_json::json!({"version": number}),
            )?;
            item_view(c, &scope, updated).map(Ok)
        })
        .await??;
    Ok(web::Json(view))
}

/// Deprecates a template: no new instances, runs or upgrades; existing instances keep
/// working. Final.
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), responses((status = 200, body = TemplateView), WriteErrors))]
#[post("/templates/{id}/deprecate")]
pub async fn deprecate_template(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<TemplateView>, ApiError> {
    author_owner(&authed)?;
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let view = state
        .store
        .write(scope, move |c| {
            if repo::get(c, &scope, &id)?.is_none() {
                return Ok(None);
            }
            repo::update(
                c,
                &id,
                &TemplateChanges {
                    status: Some(TemplateStatus::Deprecated.as_str().into()),
                    updated_at: Some(store::now()),
                    ..Default::default()
                },
            )?;
            let Some(updated) = repo::get(c, &scope, &id)? else {
                return Ok(None);
            };
            audit_event(
                c,
                &actor,
                "template.deprecate",
                &updated,
                serde_json::json!({}),
            )?;
            item_view(c, &scope, updated).map(Some)
        })
        .await?
        .ok_or_else(not_found)?;
    Ok(web::Json(view))
}

/// Replaces who a template is offered to.
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), request_body = SharingRequest, responses((status = 200, body = TemplateView), WriteErrors))]
#[put("/templates/{id}/sharing")]
pub async fn set_template_sharing(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<SharingRequest>,
) -> Result<web::Json<TemplateView>, ApiError> {
    author_owner(&authed)?;
    let sharing = body.into_inner();
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let id = id.to_string();
    let view = state
        .store
        .write(scope, move |c| {
            let Some(t) = repo::get(c, &scope, &id)? else {
                return Ok(Err(not_found()));
            };
            let rows = match share_rows(c, &t, &sharing)? {
                Ok(r) => r,
                Err(e) => return Ok(Err(e)),
            };
            repo::replace_shares(c, &id, &rows)?;
            repo::update(
                c,
                &id,
                &TemplateChanges {
                    share_mode: Some(
                        match sharing.mode {
                            ShareMode::All => "all",
                            ShareMode::Selected => "selected",
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
                "template.share",
                &updated,
                serde_json::json!({"mode": updated.share_mode, "tenants": rows.len()}),
            )?;
            item_view(c, &scope, updated).map(Ok)
        })
        .await??;
    Ok(web::Json(view))
}

/// A published version of a template offered to the caller's tenant, for a new instance,
/// run or upgrade: the template must be visible, not deprecated, and the version published.
pub fn offered_version(
    c: &mut DbConn,
    scope: &Scope,
    template_id: &str,
    version: Option<i32>,
) -> Result<Result<(TemplateRow, TemplateVersionRow), ApiError>, StoreError> {
    let Some(t) = repo::get(c, scope, template_id)? else {
        return Ok(Err(not_found()));
    };
    if t.status == TemplateStatus::Deprecated.as_str() {
        return Ok(Err(deprecated()));
    }
    let Some(number) = version.or(t.published_version) else {
        return Ok(Err(not_found()));
    };
    // Owners (who may run nothing: they are not tenants) would see drafts; insist on a
    // published version whoever asks.
    match repo::version(c, scope, template_id, number)? {
        Some(v) if v.published_at.is_some() => Ok(Ok((t, v))),
        _ => Ok(Err(version_not_found(number))),
    }
}

/// Copies a published template version into a new workflow of the caller's tenant (an
/// instance: it records the template and version).
#[utoipa::path(tag = "templates", params(("id" = Uuid, Path)), request_body = InstantiateTemplateRequest, responses((status = 201, body = WorkflowView), (status = 409, description = "The template is deprecated (`template_deprecated`)", body = crate::error::Problem, content_type = "application/problem+json"), WriteErrors))]
#[post("/templates/{id}/instantiate")]
pub async fn instantiate_template(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: Option<web::Json<InstantiateTemplateRequest>>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::TemplatesRead)?;
    authed.require(Action::WorkflowsWrite)?;
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden(
            "Workflows belong to tenants: sign in as a tenant user",
        ));
    };
    let body = body.map(|b| b.into_inner()).unwrap_or_default();
    if let Some(n) = &body.name {
        let mut v = Validator::default();
        v.text("name", n, 255);
        v.finish()?;
    }
    let scope = authed.scope();
    let template_id = id.to_string();
    let (t, version) = {
        let template_id = template_id.clone();
        state
            .store
            .read(scope, move |c| {
                offered_version(c, &scope, &template_id, body.version)
            })
            .await??
    };
    // Stored in normal form and valid when saved; the registry may have changed since.
    let graph: Graph = serde_json::from_str(&version.config).map_err(ApiError::internal)?;
    let graph = super::graphs::validate_off_executor(&state, &authed, graph, "graph/")
        .await?
        .pinned;
    let now = store::now();
    let row = WorkflowRow {
        id: store::new_id(),
        tenant_id: tenant_id.to_string(),
        user_id: Some(authed.principal.user_id.to_string()),
        name: body
            .name
            .map(|n| n.trim().to_string())
            .unwrap_or_else(|| version.name.clone()),
        description: version.description.clone(),
        config: serde_json::to_string(&graph).map_err(ApiError::internal)?,
        is_template: false,
        is_public: body.is_public,
        created_at: now,
        updated_at: now,
        current_version: 1,
        deleted_at: None,
        template_id: Some(t.id.clone()),
        template_version: Some(version.version),
    };
    let wversion = version_row(&row, 1, row.user_id.clone());
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let number = version.version;
    let row = state
        .store
        .write(scope, move |c| {
            // Re-checked in the accepting transaction: deprecation wins over a late instance.
            if let Err(e) = offered_version(c, &scope, &template_id, Some(number))? {
                return Ok(Err(e));
            }
            workflows_repo::insert(c, &row, &wversion)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "workflow.create",
                    target_type: "workflow",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"name": row.name, "version": 1,
                        "template_id": template_id, "template_version": number}),
                },
            )?;
            Ok(Ok(row))
        })
        .await??;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/workflows/{}", row.id)))
        .json(WorkflowView::from(row)))
}

/// The ids of the `rows` (instances) whose template has a newer published version than
/// theirs and is not deprecated.
pub fn upgradable(
    c: &mut DbConn,
    scope: &Scope,
    rows: &[WorkflowRow],
) -> Result<HashSet<String>, StoreError> {
    let ids: Vec<String> = rows.iter().filter_map(|r| r.template_id.clone()).collect();
    let latest = repo::latest_published(c, scope, ids)?;
    Ok(rows
        .iter()
        .filter(|r| {
            latest.iter().any(|(id, published, status)| {
                Some(id) == r.template_id.as_ref()
                    && status != TemplateStatus::Deprecated.as_str()
                    && published.unwrap_or(0) > r.template_version.unwrap_or(0)
            })
        })
        .map(|r| r.id.clone())
        .collect())
}

/// Upgrades an instance to a newer published version of its template: a new workflow
/// version with that version's graph.
#[utoipa::path(tag = "workflows", params(("id" = Uuid, Path)), request_body = UpgradeWorkflowRequest, responses((status = 200, body = WorkflowView), (status = 409, description = "Not an instance, not a newer version (`conflict`), or the template is deprecated (`template_deprecated`)", body = crate::error::Problem, content_type = "application/problem+json"), WriteErrors))]
#[post("/workflows/{id}/upgrade")]
pub async fn upgrade_workflow(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: Option<web::Json<UpgradeWorkflowRequest>>,
) -> Result<web::Json<WorkflowView>, ApiError> {
    authed.require(Action::WorkflowsWrite)?;
    authed.require(Action::TemplatesRead)?;
    let wanted = body.and_then(|b| b.into_inner().version);
    let scope = authed.scope();
    let who = super::workflows::viewer(&authed);
    let me = authed.principal.user_id.to_string();
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let id = id.to_string();
    // The target version's graph, checked against today's registry off the transaction.
    let target = {
        let (id, who) = (id.clone(), who.clone());
        state
            .store
            .read(scope, move |c| {
                let Some(w) = workflows_repo::get(c, &scope, who.as_deref(), &id)? else {
                    return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
                };
                let Some(tid) = w.template_id.clone() else {
                    return Ok(Err(ApiError::new(
                        Code::Conflict,
                        "The workflow was not made from a template",
                    )));
                };
                Ok(offered_version(c, &scope, &tid, wanted)?.map(|(_, v)| (w, v)))
            })
            .await??
    };
    let (current, version) = target;
    if version.version <= current.template_version.unwrap_or(0) {
        return Err(ApiError::new(
            Code::Conflict,
            format!(
                "The workflow is at version {} of its template; upgrade to a newer published version",
                current.template_version.unwrap_or(0)
            ),
        ));
    }
    if who.is_some() && current.user_id.as_deref() != Some(me.as_str()) {
        return Err(ApiError::forbidden(
            "Only the workflow's creator or a tenant admin can change it",
        ));
    }
    let graph: Graph = serde_json::from_str(&version.config).map_err(ApiError::internal)?;
    let graph = super::graphs::validate_off_executor(&state, &authed, graph, "graph/")
        .await?
        .pinned;
    let config = serde_json::to_string(&graph).map_err(ApiError::internal)?;
    let number = version.version;
    let template_id = version.template_id.clone();
    let row = state
        .store
        .write(scope, move |c| {
            let Some(w) = workflows_repo::get(c, &scope, who.as_deref(), &id)? else {
                return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
            };
            if let Err(e) = offered_version(c, &scope, &template_id, Some(number))? {
                return Ok(Err(e));
            }
            let next = w.current_version + 1;
            let now = store::now();
            workflows_repo::update(
                c,
                &id,
                &WorkflowChanges {
                    config: Some(config),
                    current_version: Some(next),
                    updated_at: Some(now),
                    template_version: Some(Some(number)),
                    ..Default::default()
                },
            )?;
            let Some(updated) = workflows_repo::get(c, &scope, None, &id)? else {
                return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
            };
            workflows_repo::insert_version(c, &version_row(&updated, next, Some(me)))?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "workflow.upgrade",
                    target_type: "workflow",
                    target_id: Some(id.clone()),
                    tenant_id: Some(updated.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"version": next,
                        "template_id": template_id, "template_version": number}),
                },
            )?;
            Ok(Ok(updated))
        })
        .await??;
    Ok(web::Json(WorkflowView::from(row)))
}
