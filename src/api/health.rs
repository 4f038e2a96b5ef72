//! Liveness, readiness and Prometheus metrics.

use crate::app::AppState;
use crate::error::{ApiError, Code};
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct HealthView {
    pub status: &'static str,
    pub version: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "health", security(), responses((status = 200, body = HealthView)))]
#[get("/healthz")]
pub async fn healthz() -> web::Json<HealthView> {
    web::Json(HealthView {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

#[derive(Serialize, ToSchema)]
pub struct ReadyView {
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
}

/// Readiness: the database answers.
#[utoipa::path(
    tag = "health",
    security(),
    responses(
        (status = 200, body = ReadyView),
        (status = 503, description = "The database is unreachable", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<ReadyView>, ApiError> {
    state
        .store
        .ping()
        .await
        .map_err(|_| ApiError::of(Code::DatabaseUnavailable))?;
    Ok(web::Json(ReadyView {
        status: "ready",
        database: match state.store.backend() {
            crate::store::Backend::Sqlite => "sqlite",
            crate::store::Backend::Postgres => "postgres",
        },
    }))
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    tag = "health",
    security(),
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(state.store.pool_stats()))
}
