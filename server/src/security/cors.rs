//! CORS: closed unless origins are configured, then open to exactly those.

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// `None` (no CORS headers at all) for an empty list (the browser's same-origin policy applies);
/// otherwise the listed origins may call with `GET`, `POST`, `PATCH`, `DELETE` and the
/// `Authorization` and `Content-Type` headers. Origins that are not valid header values are
/// skipped with a warning.
pub fn layer(origins: &[String]) -> Option<CorsLayer> {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .filter_map(|origin| match HeaderValue::from_str(origin) {
            Ok(value) => Some(value),
            Err(_) => {
                tracing::warn!(
                    origin,
                    "ignoring a CORS origin that is not a valid header value"
                );
                None
            }
        })
        .collect();
    if allowed.is_empty() {
        return None;
    }
    tracing::info!(origins = ?allowed, "CORS open to the configured origins");
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
    )
}
