//! CORS (closed unless configured) and the security headers, with the CSP nonce that the
//! page's inline scripts carry.

use super::{client, token_http, with_http};
use crate::helpers::*;
use reqwest::header::{self, HeaderMap};
use reqwest::Method;
use server::config::HttpArgs;

fn allow_origin(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .map(|v| v.to_str().unwrap().to_owned())
}

/// A simple request and a preflight from `origin`; the `Access-Control-Allow-Origin` of each.
async fn cors_answers(app: &TestApp, origin: &str) -> (Option<String>, Option<String>) {
    let anonymous = client(&[(header::ORIGIN, origin)]);
    let simple = anonymous.get(app.url("/api/health")).send().await.unwrap();
    let preflight = anonymous
        .request(Method::OPTIONS, app.url("/api/videos"))
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type",
        )
        .send()
        .await
        .unwrap();
    (allow_origin(&simple), allow_origin(&preflight))
}

#[tokio::test]
async fn cors_is_closed_by_default_and_open_only_to_configured_origins() {
    let closed = spawn_app().await;
    assert_eq!(
        cors_answers(&closed, "https://evil.example").await,
        (None, None)
    );
    closed.stop().await;

    let http = HttpArgs {
        cors_origins: vec!["https://app.example".into()],
        ..token_http()
    };
    let open = spawn_app_with(with_http(http)).await;
    assert_eq!(
        cors_answers(&open, "https://evil.example").await,
        (None, None)
    );
    let allowed = Some("https://app.example".to_owned());
    assert_eq!(
        cors_answers(&open, "https://app.example").await,
        (allowed.clone(), allowed)
    );
    let preflight = client(&[(header::ORIGIN, "https://app.example")])
        .request(Method::OPTIONS, open.url("/api/videos"))
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PATCH")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
        .send()
        .await
        .unwrap();
    assert!(
        preflight.status().is_success(),
        "the preflight needs no token"
    );
    let methods = preflight.headers()[header::ACCESS_CONTROL_ALLOW_METHODS]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        methods.contains("PATCH") && methods.contains("DELETE"),
        "{methods}"
    );
    let headers = preflight.headers()[header::ACCESS_CONTROL_ALLOW_HEADERS]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(headers.contains("authorization"), "{headers}");
    open.stop().await;
}

/// The `'nonce-…'` source of a CSP's `script-src`.
fn script_nonce(csp: &str) -> String {
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .expect("script-src");
    let source = script_src
        .split_whitespace()
        .find(|s| s.starts_with("'nonce-"))
        .expect("a nonce source");
    source
        .trim_start_matches("'nonce-")
        .trim_end_matches('\'')
        .to_owned()
}

#[tokio::test]
async fn pages_carry_a_csp_whose_nonce_is_on_every_inline_script_and_the_other_headers() {
    let app = spawn_app().await;
    app.upload_shared(&["carphone_pristine.mp4"]).await;
    let mut nonces = Vec::new();
    for path in ["/", "/profiles", "/login", "/no-such-page"] {
        let response = client(&[])
            .get(app.url(path))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        for directive in [
            "default-src 'self'",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "connect-src 'self'",
            "img-src 'self' data: blob:",
        ] {
            assert!(csp.contains(directive), "{path}: {directive} in {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert_security_headers(response.headers(), path);
        let nonce = script_nonce(&csp);
        assert!(nonce.len() >= 16, "{nonce}");
        let html = response.text().await.unwrap();
        let scripts: Vec<&str> = html
            .match_indices("<script")
            .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap()])
            .collect();
        assert!(!scripts.is_empty(), "{path} has inline scripts");
        for tag in scripts {
            assert!(
                tag.contains(&format!(r#"nonce="{nonce}""#)),
                "{path}: {tag} lacks the header's nonce"
            );
        }
        assert!(
            !html.contains(" style=\""),
            "{path}: no inline style attributes"
        );
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a new nonce per response");
    // Swagger UI injects <style> elements: inline styles (only) are allowed under /docs.
    let docs = client(&[]).get(app.url("/docs/")).send().await.unwrap();
    let csp = docs.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("style-src 'self' 'unsafe-inline';")
            && csp.contains("script-src 'self' 'nonce-"),
        "{csp}"
    );
    let api = client(&[])
        .get(app.url("/api/videos"))
        .send()
        .await
        .unwrap();
    assert_security_headers(api.headers(), "/api/videos");
    app.stop().await;

    let protected = spawn_app_with(with_http(token_http())).await;
    let refused = client(&[])
        .get(protected.url("/api/videos"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_security_headers(refused.headers(), "401");
    protected.stop().await;
}

fn assert_security_headers(headers: &HeaderMap, what: &str) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
    ] {
        assert_eq!(
            headers.get(name).map(|v| v.to_str().unwrap()),
            Some(value),
            "{what}: {name}"
        );
    }
    let permissions = headers["permissions-policy"].to_str().unwrap();
    assert!(
        permissions.contains("camera=()") && permissions.contains("microphone=()"),
        "{what}: {permissions}"
    );
    assert!(
        headers.contains_key(header::CONTENT_SECURITY_POLICY),
        "{what}: CSP"
    );
}
