//! `GET /metrics`: the process's metrics for Prometheus.

use super::SERVICE_TAG;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `GET /metrics` (at the root, where Prometheus looks by default, not under `/api`).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(metrics))
}

/// Metrics in the Prometheus text exposition format (version 0.0.4): job counters, HTTP
/// requests, open event streams, uploads, and videos by status. Needs the API token when
/// the server has one, like every route but `/api/health`.
#[utoipa::path(get, path = "/metrics", tag = SERVICE_TAG,
    responses((status = 200, description = "Prometheus text exposition format, version 0.0.4", content_type = "text/plain", body = String)))]
async fn metrics(State(state): State<AppState>) -> Response {
    state.exporter.response().await
}
