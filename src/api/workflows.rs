//! `/v1/workflows`: saved graphs per tenant, versioned.
//!
//! A workflow's graph is validated against the node registry and stored in normal form.
//! Every update appends an immutable version (jobs pin the version they ran); deleting a
//! workflow hides it but keeps its versions. `is_public` shares a workflow within the
//! tenant: members and viewers see their own workflows and shared ones, tenant admins all.
//! Members change only their own workflows; tenant admins any in the tenant.

use super::{list_view, PageQuery, ReadErrors, Validator, WriteErrors};
use crate::app::AppState;
use crate::audit::{self, Actor, Event};
use crate::auth::{Action, Authed};
use crate::engine::graph::Graph;
use crate::error::{ApiError, Code};
use crate::store;
use crate::store::repo::workflows::{
    self as repo, WorkflowChanges, WorkflowFilter, WorkflowRow, WorkflowVersionRow,
};
use crate::tenancy::Role;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowView {
    pub id: Uuid,
    pub tenant_id: Uuid,
    /// The creator.
    pub user_id: Option<Uuid>,
    pub name: String,
    pub description: Option<String>,
    /// The current version number (1, 2, …).
    pub version: i32,
    /// The current graph, in normal form.
    pub graph: Graph,
    pub is_template: bool,
    /// Shared with everyone in the tenant.
    pub is_public: bool,
    /// For an instance of a template: the template and the version it was copied from (or
    /// last upgraded to).
    pub template_id: Option<Uuid>,
    pub template_version: Option<i32>,
    /// An instance whose template has a newer published version (`POST …/upgrade`).
    pub upgrade_available: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<WorkflowRow> for WorkflowView {
    fn from(r: WorkflowRow) -> Self {
        WorkflowView {
            id: super::parse_uuid(&r.id),
            tenant_id: super::parse_uuid(&r.tenant_id),
            user_id: super::parse_uuid_opt(r.user_id.as_deref()),
            name: r.name,
            description: r.description,
            version: r.current_version,
            graph: serde_json::from_str(&r.config).unwrap_or(Graph {
                nodes: vec![],
                edges: vec![],
            }),
            is_template: r.is_template,
            is_public: r.is_public,
            template_id: super::parse_uuid_opt(r.template_id.as_deref()),
            template_version: r.template_version,
            upgrade_available: false,
            created_at: super::utc(r.created_at),
            updated_at: super::utc(r.updated_at),
        }
    }
}

/// One immutable version of a workflow.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowVersionView {
    pub workflow_id: Uuid,
    pub version: i32,
    pub name: String,
    pub description: Option<String>,
    pub graph: Graph,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<WorkflowVersionRow> for WorkflowVersionView {
    fn from(r: WorkflowVersionRow) -> Self {
        WorkflowVersionView {
            workflow_id: super::parse_uuid(&r.workflow_id),
            version: r.version,
            name: r.name,
            description: r.description,
            graph: serde_json::from_str(&r.config).unwrap_or(Graph {
                nodes: vec![],
                edges: vec![],
            }),
            created_by: super::parse_uuid_opt(r.created_by.as_deref()),
            created_at: super::utc(r.created_at),
        }
    }
}

list_view!(WorkflowList, WorkflowView);

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkflowVersionList {
    pub items: Vec<WorkflowVersionView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWorkflowRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    /// React Flow JSON (`nodes`, `edges`) or Flowise `flowData` (object or JSON string).
    #[schema(value_type = Object)]
    pub graph: serde_json::Value,
    #[serde(default)]
    pub is_template: bool,
    #[serde(default)]
    pub is_public: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkflowRequest {
    #[schema(min_length = 1, max_length = 255, pattern = r"\S")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "super::double_option")]
    #[schema(value_type = Option<String>, max_length = 10000)]
    pub description: Option<Option<String>>,
    #[schema(value_type = Option<Object>)]
    pub graph: Option<serde_json::Value>,
    pub is_template: Option<bool>,
    pub is_public: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WorkflowListQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[param(pattern = r"^[A-Za-z0-9_-]{48}$")]
    pub cursor: Option<String>,
    pub is_template: Option<bool>,
    /// Case-insensitive substring of the name.
    pub name: Option<String>,
}

/// Parses and validates a graph; problems become `invalid_graph` field errors. The saved
/// form keeps the nodes' preset references: a workflow runs with its presets' values as they
/// are when a job is submitted (the job pins them).
async fn checked_graph(
    state: &AppState,
    authed: &Authed,
    value: &serde_json::Value,
) -> Result<Graph, ApiError> {
    super::graphs::checked_graph(state, authed, value)
        .await
        .map(|c| c.graph)
}

/// Non-admins see (and may change) only their own workflows plus shared ones.
pub(super) fn viewer(authed: &Authed) -> Option<String> {
    match authed.role() {
        Role::PlatformAdmin | Role::ResellerAdmin | Role::TenantAdmin => None,
        _ => Some(authed.principal.user_id.to_string()),
    }
}

fn check_text(v: &mut Validator, name: Option<&str>, description: Option<&str>) {
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
}

/// Creates a workflow (version 1).
#[utoipa::path(tag = "workflows", request_body = CreateWorkflowRequest, responses((status = 201, body = WorkflowView), WriteErrors))]
#[post("/workflows")]
pub async fn create_workflow(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<CreateWorkflowRequest>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::WorkflowsWrite)?;
    let Some(tenant_id) = authed.principal.tenant_id else {
        return Err(ApiError::forbidden(
            "Workflows belong to tenants: sign in as a tenant user",
        ));
    };
    let body = body.into_inner();
    let mut v = Validator::default();
    check_text(&mut v, Some(&body.name), body.description.as_deref());
    v.finish()?;
    let graph = checked_graph(&state, &authed, &body.graph).await?;
    let config = serde_json::to_string(&graph).map_err(ApiError::internal)?;
    let now = store::now();
    let row = WorkflowRow {
        id: store::new_id(),
        tenant_id: tenant_id.to_string(),
        user_id: Some(authed.principal.user_id.to_string()),
        name: body.name.trim().to_string(),
        description: body.description,
        config: config.clone(),
        is_template: body.is_template,
        is_public: body.is_public,
        created_at: now,
        updated_at: now,
        current_version: 1,
        deleted_at: None,
        template_id: None,
        template_version: None,
    };
    let version = version_row(&row, 1, row.user_id.clone());
    let scope = authed.scope();
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let row = state
        .store
        .write(scope, move |c| {
            repo::insert(c, &row, &version)?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "workflow.create",
                    target_type: "workflow",
                    target_id: Some(row.id.clone()),
                    tenant_id: Some(row.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"name": row.name, "version": 1}),
                },
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/v1/workflows/{}", row.id)))
        .json(WorkflowView::from(row)))
}

pub(super) fn version_row(
    row: &WorkflowRow,
    number: i32,
    by: Option<String>,
) -> WorkflowVersionRow {
    WorkflowVersionRow {
        id: store::new_id(),
        workflow_id: row.id.clone(),
        tenant_id: row.tenant_id.clone(),
        version: number,
        name: row.name.clone(),
        description: row.description.clone(),
        config: row.config.clone(),
        created_by: by,
        created_at: row.updated_at,
    }
}

/// Lists the workflows the caller can see, newest first.
#[utoipa::path(tag = "workflows", params(WorkflowListQuery), responses((status = 200, body = WorkflowList), ReadErrors))]
#[get("/workflows")]
pub async fn list_workflows(
    state: web::Data<AppState>,
    authed: Authed,
    query: web::Query<WorkflowListQuery>,
) -> Result<web::Json<WorkflowList>, ApiError> {
    authed.require(Action::WorkflowsRead)?;
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    }
    .to_request()?;
    let filter = WorkflowFilter {
        is_template: q.is_template,
        name_contains: q.name,
    };
    let scope = authed.scope();
    let who = viewer(&authed);
    let (rows, upgradable) = state
        .store
        .read(scope, move |c| {
            let rows = repo::list(c, &scope, who.as_deref(), &page, &filter)?;
            let upgradable = super::templates::upgradable(c, &scope, &rows.items)?;
            Ok((rows, upgradable))
        })
        .await?;
    Ok(web::Json(WorkflowList::from_page(rows.map(|r| {
        let up = upgradable.contains(&r.id);
        WorkflowView {
            upgrade_available: up,
            ..WorkflowView::from(r)
        }
    }))))
}

/// Reads a workflow's current version.
#[utoipa::path(tag = "workflows", params(("id" = Uuid, Path)), responses((status = 200, body = WorkflowView), ReadErrors))]
#[get("/workflows/{id}")]
pub async fn get_workflow(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<WorkflowView>, ApiError> {
    authed.require(Action::WorkflowsRead)?;
    let scope = authed.scope();
    let who = viewer(&authed);
    let id = id.to_string();
    let (row, upgrade_available) = state
        .store
        .read(scope, move |c| {
            let Some(row) = repo::get(c, &scope, who.as_deref(), &id)? else {
                return Ok(None);
            };
            let up = super::templates::upgradable(c, &scope, std::slice::from_ref(&row))?;
            Ok(Some((row, !up.is_empty())))
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::WorkflowNotFound))?;
    Ok(web::Json(WorkflowView {
        upgrade_available,
        ..WorkflowView::from(row)
    }))
}

/// Lists every version of a workflow, newest first.
#[utoipa::path(tag = "workflows", params(("id" = Uuid, Path)), responses((status = 200, body = WorkflowVersionList), ReadErrors))]
#[get("/workflows/{id}/versions")]
pub async fn list_workflow_versions(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<web::Json<WorkflowVersionList>, ApiError> {
    authed.require(Action::WorkflowsRead)?;
    let scope = authed.scope();
    let who = viewer(&authed);
    let id = id.to_string();
    let rows = state
        .store
        .read(scope, move |c| {
            if repo::get(c, &scope, who.as_deref(), &id)?.is_none() {
                return Ok(None);
            }
            repo::versions(c, &scope, &id).map(Some)
        })
        .await?
        .ok_or_else(|| ApiError::of(Code::WorkflowNotFound))?;
    Ok(web::Json(WorkflowVersionList {
        items: rows.into_iter().map(WorkflowVersionView::from).collect(),
    }))
}

/// Reads one version of a workflow.
#[utoipa::path(tag = "workflows", params(("id" = Uuid, Path), ("version" = i32, Path)), responses((status = 200, body = WorkflowVersionView), ReadErrors))]
#[get("/workflows/{id}/versions/{version}")]
pub async fn get_workflow_version(
    state: web::Data<AppState>,
    authed: Authed,
    path: web::Path<(Uuid, i32)>,
) -> Result<web::Json<WorkflowVersionView>, ApiError> {
    authed.require(Action::WorkflowsRead)?;
    let (id, number) = path.into_inner();
    let scope = authed.scope();
    let who = viewer(&authed);
    let id = id.to_string();
    let row = state
        .store
        .read(scope, move |c| {
            if repo::get(c, &scope, who.as_deref(), &id)?.is_none() {
                return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
            }
            Ok(repo::version(c, &scope, &id, number)?.ok_or_else(|| {
                ApiError::new(
                    Code::WorkflowVersionNotFound,
                    format!("The workflow has no version {number}"),
                )
            }))
        })
        .await??;
    Ok(web::Json(WorkflowVersionView::from(row)))
}

/// Updates a workflow, recording a new version.
#[utoipa::path(tag = "workflows", params(("id" = Uuid, Path)), request_body = UpdateWorkflowRequest, responses((status = 200, body = WorkflowView), WriteErrors))]
#[patch("/workflows/{id}")]
pub async fn update_workflow(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
    body: web::Json<UpdateWorkflowRequest>,
) -> Result<web::Json<WorkflowView>, ApiError> {
    authed.require(Action::WorkflowsWrite)?;
    let body = body.into_inner();
    let mut v = Validator::default();
    check_text(
        &mut v,
        body.name.as_deref(),
        body.description.as_ref().and_then(|d| d.as_deref()),
    );
    v.finish()?;
    let config = match &body.graph {
        Some(g) => Some(
            serde_json::to_string(&checked_graph(&state, &authed, g).await?)
                .map_err(ApiError::internal)?,
        ),
        None => None,
    };
    let scope = authed.scope();
    let who = viewer(&authed);
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let me = authed.principal.user_id.to_string();
    let id = id.to_string();
    let row = state
        .store
        .write(scope, move |c| {
            let Some(current) = repo::get(c, &scope, who.as_deref(), &id)? else {
                return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
            };
            if who.is_some() && current.user_id.as_deref() != Some(me.as_str()) {
                return Ok(Err(ApiError::forbidden(
                    "Only the workflow's creator or a tenant admin can change it",
                )));
            }
            let next = current.current_version + 1;
            let now = store::now();
            let changes = WorkflowChanges {
                name: body.name.map(|n| n.trim().to_string()),
                description: body.description,
                config,
                is_template: body.is_template,
                is_public: body.is_public,
                current_version: Some(next),
                updated_at: Some(now),
                deleted_at: None,
                template_version: None,
            };
            repo::update(c, &id, &changes)?;
            let Some(updated) = repo::get(c, &scope, None, &id)? else {
                return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
            };
            repo::insert_version(c, &version_row(&updated, next, Some(me.clone())))?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "workflow.update",
                    target_type: "workflow",
                    target_id: Some(id.clone()),
                    tenant_id: Some(updated.tenant_id.clone()),
                    reseller_id: reseller,
                    details: serde_json::json!({"version": next}),
                },
            )?;
            Ok(Ok(updated))
        })
        .await??;
    Ok(web::Json(WorkflowView::from(row)))
}

/// Deletes a workflow; its versions stay for the jobs that ran them.
#[utoipa::path(tag = "workflows", params(("id" = Uuid, Path)), responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/workflows/{id}")]
pub async fn delete_workflow(
    state: web::Data<AppState>,
    authed: Authed,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    authed.require(Action::WorkflowsWrite)?;
    let scope = authed.scope();
    let who = viewer(&authed);
    let actor = Actor::of(&authed);
    let reseller = authed.principal.reseller_id.map(|r| r.to_string());
    let me = authed.principal.user_id.to_string();
    let id = id.to_string();
    state
        .store
        .write(scope, move |c| {
            let Some(current) = repo::get(c, &scope, who.as_deref(), &id)? else {
                return Ok(Err(ApiError::of(Code::WorkflowNotFound)));
            };
            if who.is_some() && current.user_id.as_deref() != Some(me.as_str()) {
                return Ok(Err(ApiError::forbidden(
                    "Only the workflow's creator or a tenant admin can delete it",
                )));
            }
            let now = store::now();
            repo::update(
                c,
                &id,
                &WorkflowChanges {
                    deleted_at: Some(Some(now)),
                    updated_at: Some(now),
                    ..Default::default()
                },
            )?;
            audit::record(
                c,
                &actor,
                Event {
                    action: "workflow.delete",
                    target_type: "workflow",
                    target_id: Some(id.clone()),
                    tenant_id: Some(current.tenant_id),
                    reseller_id: reseller,
                    details: serde_json::json!({"name": current.name}),
                },
            )?;
            Ok(Ok(()))
        })
        .await??;
    Ok(HttpResponse::NoContent().finish())
}
