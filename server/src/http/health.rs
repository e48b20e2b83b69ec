//! Liveness check.

use super::SERVICE_TAG;
use crate::state::AppState;
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

/// `GET /api/health`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// The service is up.
#[utoipa::path(get, path = "/health", tag = SERVICE_TAG, responses((status = 200, description = "Service is up")))]
async fn health() -> StatusCode {
    StatusCode::OK
}
