//! The HTTP middleware: every answered request counted by method, route template (axum's
//! [`MatchedPath`], never the raw path: no ids in labels) and status code, with the time to
//! its response head.

use super::Metrics;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// Route label of requests no route matched: the fallback (static files, 404 pages).
pub const FALLBACK_ROUTE: &str = "fallback";

/// Middleware (`axum::middleware::from_fn_with_state`) recording each request. Layered
/// outside the token check, so refused requests (401) are counted too.
pub async fn track_requests(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(FALLBACK_ROUTE, MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    metrics.request(method, route, response.status().as_u16(), started.elapsed());
    response
}

/// The method's name; anything but the standard methods is `other` (a client cannot
/// create series at will).
fn method_label(method: &Method) -> &'static str {
    [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::PATCH, "PATCH"),
        (Method::DELETE, "DELETE"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::CONNECT, "CONNECT"),
        (Method::TRACE, "TRACE"),
    ]
    .into_iter()
    .find(|(standard, _)| standard == method)
    .map_or("other", |(_, name)| name)
}
