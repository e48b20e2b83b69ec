//! The REST API: one module per resource, each contributing an `OpenApiRouter`.

mod alerts;
mod audit;
pub mod binary;
mod corrections;
mod docs;
mod events;
mod export;
mod health;
mod ids;
mod json_errors;
mod metrics;
mod people;
mod profiles;
mod query;
mod search;
mod timeline;
mod upload;
mod upload_budget;
mod videos;

use crate::state::AppState;
use axum::routing::any;
use std::time::Duration;
use tower_http::timeout::RequestBodyTimeoutLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// OpenAPI tag of the video endpoints.
pub const VIDEOS_TAG: &str = "videos";
/// OpenAPI tag of the profile endpoints.
pub const PROFILES_TAG: &str = "profiles";
/// OpenAPI tag of the archive search.
pub const SEARCH_TAG: &str = "search";
/// OpenAPI tag of the people found in videos.
pub const PEOPLE_TAG: &str = "people";
/// OpenAPI tag of the audit log.
pub const AUDIT_TAG: &str = "audit";
/// OpenAPI tag of the CSV and JSON downloads.
pub const EXPORT_TAG: &str = "export";
/// OpenAPI tag of the service endpoints (health, events, metrics).
pub const SERVICE_TAG: &str = "service";
/// OpenAPI tag of the watch list's alerts and webhooks.
pub const ALERTS_TAG: &str = "alerts";

/// Top-level OpenAPI document; paths are added by the routers.
#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerAuth),
    // Optional: the token is needed only when the server is started with FACETALLY_API_TOKEN.
    security((), ("bearer" = [])),
    info(title = "facetally API", description = "Upload videos, count the faces in every frame, follow progress live."),
    tags(
        (name = VIDEOS_TAG, description = "Uploaded videos and their face counts"),
        (name = PROFILES_TAG, description = "People turned into editable profiles"),
        (name = SEARCH_TAG, description = "Find a person in the archive by a face photo or a profile"),
        (name = PEOPLE_TAG, description = "People found in videos, with or without a profile"),
        (name = AUDIT_TAG, description = "Every manual change, who made it, before and after"),
        (name = EXPORT_TAG, description = "Whole tables as CSV or JSON files, streamed"),
        (name = SERVICE_TAG, description = "Health, live events and metrics"),
        (name = ALERTS_TAG, description = "Alerts of watched profiles and their signed webhook deliveries"),
    )
)]
struct ApiDoc;

/// The `bearer` security scheme, so Swagger UI's "Authorize" sends the API token.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "`FACETALLY_API_TOKEN`, needed on every route but `/api/health` when the server is started with it",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// All `/api` routes with their OpenAPI description, `/metrics`, and Swagger UI at `/docs`. Every API
/// error is JSON; a request body that stalls longer than `body_timeout` is answered 408.
pub fn router(body_timeout: Duration) -> axum::Router<AppState> {
    let (api, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest(
            "/api",
            OpenApiRouter::new()
                .merge(videos::router())
                .merge(timeline::router())
                .merge(upload::router())
                .merge(profiles::router())
                .merge(people::router())
                .merge(corrections::router())
                .merge(audit::router())
                .merge(alerts::router())
                .merge(search::router())
                .merge(export::router())
                .merge(events::router())
                .merge(health::router()),
        )
        .merge(metrics::router())
        .split_for_parts();
    let api = api
        .route("/api", any(json_errors::unknown_route))
        .route("/api/{*rest}", any(json_errors::unknown_route))
        .layer(RequestBodyTimeoutLayer::new(body_timeout))
        .layer(axum::middleware::map_response(json_errors::to_json));
    api.merge(docs::router(openapi))
}

#[cfg(test)]
mod tests {
    /// Request and response bodies are documented by the types the handlers really parse
    /// and answer: no documentation-only struct kept alive by silencing the dead-code lint.
    #[test]
    fn no_http_module_keeps_a_documentation_only_type() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/http");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let marker = concat!("allow(", "dead_code)");
            assert!(!text.contains(marker), "{}", path.display());
        }
    }
}
