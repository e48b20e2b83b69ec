//! Security headers on every response, with a Content-Security-Policy whose script nonce is
//! new for each request and shared with the page renderer through the request extensions.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

/// The CSP nonce of one request, put into the request's extensions for the page renderer
/// (see [`super::provide_leptos_context`]).
#[derive(Debug, Clone)]
pub struct CspNonce(pub Nonce);

/// Headers that are the same on every response.
const FIXED: [(HeaderName, &str); 5] = [
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), fullscreen=(self)",
    ),
    (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
];

/// Middleware: makes the request's nonce, runs the request, adds the headers.
pub async fn security_headers(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    let styles = if request.uri().path().starts_with("/docs") {
        InlineStyles::Allowed
    } else {
        InlineStyles::Refused
    };
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce, styles)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    for (name, value) in FIXED {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// The policy: only this origin's scripts, the WASM they compile, inline scripts carrying
/// this response's nonce (Leptos' hydration and resource scripts), no plugins, no framing,
/// forms posting to this origin only.
///
/// The app's styles come from this origin's files: it needs no inline `style="…"` attribute
/// (the progress bars are `<progress>` elements, and style changes made from script go
/// through the CSSOM, which CSP does not restrict).
pub fn content_security_policy(nonce: &str, styles: InlineStyles) -> String {
    let style_src = match styles {
        InlineStyles::Refused => format!("'self' 'nonce-{nonce}'"),
        // A nonce would make browsers ignore 'unsafe-inline'.
        InlineStyles::Allowed => "'self' 'unsafe-inline'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src {style_src}; img-src 'self' data: blob:; media-src 'self' blob:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// Whether a response may use inline `<style>` elements without a nonce: only Swagger UI
/// (`/docs`), whose bundle injects its own `<style>` elements. Scripts stay strict there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineStyles {
    /// The app's pages: styles from files (or a `<style nonce>`) only.
    Refused,
    /// Swagger UI.
    Allowed,
}
