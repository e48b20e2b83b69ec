//! The OpenAPI document and the vendored Swagger UI.

use crate::state::AppState;
use utoipa_swagger_ui::SwaggerUi;

/// `GET /api/openapi.json` and Swagger UI under `/docs`.
pub fn router(openapi: utoipa::openapi::OpenApi) -> axum::Router<AppState> {
    SwaggerUi::new("/docs")
        .url("/api/openapi.json", openapi)
        .into()
}
