//! `POST /v1/graphs/validate`: checks a React Flow or Flowise graph against the registry
//! and reports every problem at once.

use crate::app::AppState;
use crate::auth::{Action, Authed};
use crate::engine::graph::{self, Plan};
use crate::error::{ApiError, Code, FieldError};
use actix_web::{post, web};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct GraphValidation {
    /// Always true (an invalid graph answers 422 with every problem in `errors`).
    pub valid: bool,
    pub plan: Plan,
    /// The graph in Voxflow's normal form (nodes keep their `preset` references).
    pub graph: graph::Graph,
    /// The graph as a job submitted now would run it: each node's preset params merged under
    /// its own `params`, no `preset` references.
    pub resolved: graph::Graph,
}

/// Validates a workflow graph: React Flow JSON (`nodes[].type`, `data.params`,
/// `edges[].sourceHandle/targetHandle`) or Flowise `flowData` (object or JSON string). A node
/// may name a `preset` (`nodes[].preset` or `data.preset`; needs `presets:read`): its params
/// are merged under the node's own and the result checked against the kind's schema; a preset
/// not offered to the caller is a problem at `nodes/<id>/preset`.
#[utoipa::path(
    tag = "graphs",
    request_body(content = Object, description = "React Flow JSON or Flowise flowData"),
    responses(
        (status = 200, body = GraphValidation),
        (status = 422, description = "Invalid graph: `errors` names each problem by node or edge id and field", body = crate::error::Problem, content_type = "application/problem+json"),
        super::ReadErrors
    )
)]
#[post("/graphs/validate")]
pub async fn validate_graph(
    state: web::Data<AppState>,
    authed: Authed,
    body: web::Json<serde_json::Value>,
) -> Result<web::Json<GraphValidation>, ApiError> {
    authed.require(Action::WorkflowsRead)?;
    let checked = check_off_executor(&state, &authed, body.into_inner(), "").await?;
    Ok(web::Json(GraphValidation {
        valid: true,
        plan: checked.plan,
        graph: checked.graph,
        resolved: checked.pinned,
    }))
}

/// A graph that passed validation.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Normal form with the nodes' preset references kept: what a workflow saves, so a
    /// preset's later changes reach its next jobs.
    pub graph: graph::Graph,
    /// Presets pinned (their params merged under each node's overrides, references dropped):
    /// what a job runs and a template version keeps, so neither changes when a preset does.
    pub pinned: graph::Graph,
    /// The plan of the pinned graph.
    pub plan: Plan,
}

impl Checked {
    /// (node id, preset id) of every node that names a preset (for audit entries).
    pub fn presets(&self) -> Vec<(String, String)> {
        self.graph
            .nodes
            .iter()
            .filter_map(|n| n.preset.clone().map(|p| (n.id.clone(), p)))
            .collect()
    }
}

/// Parses and validates a graph within the server's limits, with its presets resolved in the
/// caller's scope. Parsing and validation run on the blocking pool: a graph at the limits is
/// still work the async executor should not do.
pub async fn check_off_executor(
    state: &AppState,
    authed: &Authed,
    value: serde_json::Value,
    prefix: &'static str,
) -> Result<Checked, ApiError> {
    let limits = graph::GraphLimits::of(&state.settings);
    let parsed = web::block(move || graph::parse_within(&value, &limits))
        .await
        .map_err(ApiError::internal)?
        .map_err(|p| invalid_graph(p, prefix))?;
    resolve_and_validate(state, authed, parsed, prefix).await
}

/// Validates a graph already in normal form (a saved version) within the server's limits,
/// with its presets resolved in the caller's scope, on the blocking pool.
pub async fn validate_off_executor(
    state: &AppState,
    authed: &Authed,
    parsed: graph::Graph,
    prefix: &'static str,
) -> Result<Checked, ApiError> {
    let limits = graph::GraphLimits::of(&state.settings);
    limits
        .check(&parsed)
        .map_err(|p| invalid_graph(p, prefix))?;
    resolve_and_validate(state, authed, parsed, prefix).await
}

/// 1. Loads the presets the graph names, as the caller may use them (`presets:read`; a preset
///    not offered to the caller is simply not found).
/// 2. Pins them ([`graph::pin_presets`]) and validates the result; the problems of both steps
///    are reported together.
async fn resolve_and_validate(
    state: &AppState,
    authed: &Authed,
    parsed: graph::Graph,
    prefix: &'static str,
) -> Result<Checked, ApiError> {
    let ids = graph::preset_ids(&parsed);
    let mut presets = HashMap::new();
    if !ids.is_empty() {
        authed.require(Action::PresetsRead)?;
        let scope = authed.scope();
        let rows = state
            .store
            .read(scope, move |c| {
                crate::store::repo::presets::get_many(c, &scope, ids)
            })
            .await?;
        for r in rows {
            let params = serde_json::from_str(&r.params).map_err(ApiError::internal)?;
            presets.insert(
                r.id,
                graph::PresetParams {
                    kind: r.kind,
                    params,
                },
            );
        }
    }
    let registry = state.registry.clone();
    web::block(move || {
        let (pinned, mut problems) = graph::pin_presets(&parsed, &presets);
        match graph::validate(&pinned, &registry) {
            Ok(plan) if problems.is_empty() => Ok(Checked {
                graph: parsed,
                pinned,
                plan,
            }),
            Ok(_) => Err(invalid_graph(problems, prefix)),
            Err(more) => {
                problems.extend(more);
                Err(invalid_graph(problems, prefix))
            }
        }
    })
    .await
    .map_err(ApiError::internal)?
}

/// Graph problems as a 422 `invalid_graph` problem, each field prefixed with `prefix`
/// (`"graph/"` where the graph is one field of a larger body).
pub fn invalid_graph(problems: Vec<graph::GraphProblem>, prefix: &str) -> ApiError {
    let mut e = ApiError::validation(
        problems
            .into_iter()
            .map(|p| FieldError::new(format!("{prefix}{}", p.field), p.message))
            .collect(),
    );
    e.code = Code::InvalidGraph;
    e
}

/// Parses and validates a graph given as one field (`graph`) of a request body.
pub async fn checked_graph(
    state: &AppState,
    authed: &Authed,
    value: &serde_json::Value,
) -> Result<Checked, ApiError> {
    check_off_executor(state, authed, value.clone(), "graph/").await
}
