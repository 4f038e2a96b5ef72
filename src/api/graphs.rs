//! `POST /v1/graphs/validate`: checks a React Flow or Flowise graph against the registry
//! and reports every problem at once.

use crate::app::AppState;
use crate::auth::{Action, Authed};
use crate::engine::graph::{self, Plan};
use crate::error::{ApiError, Code, FieldError};
use actix_web::{post, web};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct GraphValidation {
    /// Always true (an invalid graph answers 422 with every problem in `errors`).
    pub valid: bool,
    pub plan: Plan,
    /// The graph in Voxflow's normal form.
    pub graph: graph::Graph,
}

/// Validates a workflow graph: React Flow JSON (`nodes[].type`, `data.params`,
/// `edges[].sourceHandle/targetHandle`) or Flowise `flowData` (object or JSON string).
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
    let (parsed, plan) = check_off_executor(&state, body.into_inner(), "").await?;
    Ok(web::Json(GraphValidation {
        valid: true,
        plan,
        graph: parsed,
    }))
}

/// Parses and validates a graph within the server's limits, on the blocking pool: a graph
/// at the limits is still work the async executor should not do.
pub async fn check_off_executor(
    state: &AppState,
    value: serde_json::Value,
    prefix: &'static str,
) -> Result<(graph::Graph, graph::Plan), ApiError> {
    let registry = state.registry.clone();
    let limits = graph::GraphLimits::of(&state.settings);
    web::block(move || {
        let parsed = graph::parse_within(&value, &limits).map_err(|p| invalid_graph(p, prefix))?;
        let plan = graph::validate(&parsed, &registry).map_err(|p| invalid_graph(p, prefix))?;
        Ok((parsed, plan))
    })
    .await
    .map_err(ApiError::internal)?
}

/// Validates a graph already in normal form (a saved version) within the server's limits,
/// on the blocking pool.
pub async fn validate_off_executor(
    state: &AppState,
    parsed: graph::Graph,
    prefix: &'static str,
) -> Result<(graph::Graph, graph::Plan), ApiError> {
    let registry = state.registry.clone();
    let limits = graph::GraphLimits::of(&state.settings);
    web::block(move || {
        limits
            .check(&parsed)
            .map_err(|p| invalid_graph(p, prefix))?;
        let plan = graph::validate(&parsed, &registry).map_err(|p| invalid_graph(p, prefix))?;
        Ok((parsed, plan))
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
    value: &serde_json::Value,
) -> Result<(graph::Graph, graph::Plan), ApiError> {
    check_off_executor(state, value.clone(), "graph/").await
}
