//! Access control and browser hardening around the whole HTTP surface: the optional API
//! token (Bearer header or the UI's cookie), the `/auth` login routes, CORS (closed unless
//! configured) and the security headers with a per-request CSP nonce.
//!
//! Layers, outermost first: CORS (answers preflights before anything else), security
//! headers (so 401s and redirects carry them too), token check, then the routes.

mod auth;
mod client;
mod cors;
mod headers;
mod login;

use crate::config::{ApiToken, HttpArgs};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use std::sync::Arc;

pub use auth::{Access, COOKIE_NAME};
pub use client::{Client, PeerAddr};
pub use headers::CspNonce;

/// Wraps the application's router with the login routes, the token check, the security
/// headers and CORS as `http` configures them.
pub fn apply(router: Router, http: &HttpArgs, leptos_options: &LeptosOptions) -> Router {
    let access = Arc::new(Access::new(
        http.api_token.as_ref(),
        &leptos_options.site_root,
    ));
    if http.api_token.is_some() {
        tracing::info!(
            "API token required on /api (but /api/health), /rpc, /docs and the UI pages"
        );
    }
    let router = router
        .merge(login::router(access.clone()))
        .layer(axum::middleware::from_fn_with_state(
            access,
            auth::require_token,
        ))
        .layer(axum::middleware::from_fn(headers::security_headers));
    match cors::layer(&http.cors_origins) {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// The token check alone (no login routes, security headers or CORS), for the `/metrics`
/// listener of `FACETALLY_METRICS_ADDR`: without `token` everything passes.
pub fn require_token(router: Router, token: Option<&ApiToken>) -> Router {
    let access = Arc::new(Access::new(token, ""));
    router.layer(axum::middleware::from_fn_with_state(
        access,
        auth::require_token,
    ))
}

/// Leptos context for one page render or server function call: the request's CSP nonce (so
/// the inline hydration scripts carry the nonce the `Content-Security-Policy` header allows)
/// and whether the server asks for a token (the header's "Sign out").
///
/// Call it from the `additional_context` of the Leptos handlers, where the request's
/// [`http::request::Parts`](axum::http::request::Parts) are already in the context.
pub fn provide_leptos_context(token_required: bool) {
    let nonce = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(nonce)) = nonce {
        provide_context(nonce);
    }
    provide_context(app::TokenConfigured(token_required));
}
