//! The optional API token: who may pass, how the token is checked, what the others get.

use crate::config::ApiToken;
use app::model::ErrorBody;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// Name of the cookie the login page sets; its value is the token (cookie-escaped).
pub const COOKIE_NAME: &str = "facetally_token";

/// Paths anyone may request even when a token is configured: liveness, the login page and
/// its form targets. `/pkg/*` and the site root's own files are public too.
const PUBLIC_PATHS: [&str; 4] = ["/api/health", "/login", "/auth/login", "/auth/logout"];

/// What the token check needs: the token's digest (compared in constant time, whatever the
/// length of the candidate) and the static files that stay public.
pub struct Access {
    secret: Option<Secret>,
    static_files: HashSet<String>,
}

/// SHA-256 of the token as sent in a header and as stored in the cookie.
struct Secret {
    bearer: [u8; 32],
    cookie: [u8; 32],
    cookie_value: String,
}

impl Access {
    /// Access for `token` (none: everything is open); the files directly in `site_root`
    /// (favicon and the like, copied from `public/`) stay readable without it.
    pub fn new(token: Option<&ApiToken>, site_root: &str) -> Self {
        let secret = token.map(|token| {
            let cookie_value = cookie_escape(token.expose());
            Secret {
                bearer: digest(token.expose()),
                cookie: digest(&cookie_value),
                cookie_value,
            }
        });
        Self {
            secret,
            static_files: top_level_files(site_root),
        }
    }

    /// Whether `candidate` is the token.
    pub fn is_token(&self, candidate: &str) -> bool {
        self.secret
            .as_ref()
            .is_some_and(|s| bool::from(digest(candidate).ct_eq(&s.bearer)))
    }

    /// The cookie value that stands for the token (`None` without a token).
    pub fn cookie_value(&self) -> Option<&str> {
        self.secret.as_ref().map(|s| s.cookie_value.as_str())
    }

    /// Whether the request carries the token in its `Authorization: Bearer` header or cookie.
    fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(secret) = &self.secret else {
            return true;
        };
        let bearer =
            bearer_token(headers).is_some_and(|t| bool::from(digest(t).ct_eq(&secret.bearer)));
        let cookie = cookie_values(headers, COOKIE_NAME)
            .any(|v| bool::from(digest(v).ct_eq(&secret.cookie)));
        bearer | cookie
    }

    fn is_public(&self, path: &str) -> bool {
        PUBLIC_PATHS.contains(&path)
            || path.starts_with("/pkg/")
            || self.static_files.contains(path)
    }
}

/// Middleware: lets public paths and requests with the token through; sends pages to the
/// login form (303) and answers everything else `401` with an [`ErrorBody`].
pub async fn require_token(
    State(access): State<Arc<Access>>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(secret) = &access.secret {
        if access.admits(request.headers()) {
            // Who made a change, for the audit log: the token, never its value.
            let fingerprint = super::client::TokenFingerprint::of(&secret.bearer);
            request.extensions_mut().insert(fingerprint);
        }
    }
    let path = request.uri().path();
    if access.is_public(path) || access.admits(request.headers()) {
        return next.run(request).await;
    }
    if is_page_request(&request) {
        let target = request.uri().path_and_query().map_or(path, |p| p.as_str());
        let next: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let presented = bearer_token(request.headers()).is_some()
        || cookie_values(request.headers(), COOKIE_NAME)
            .next()
            .is_some();
    tracing::info!(method = %request.method(), path, presented, "request without a valid API token refused");
    unauthorized(presented)
}

/// The `401` answer: a clear message and a `WWW-Authenticate: Bearer` challenge.
fn unauthorized(presented: bool) -> Response {
    let (message, challenge) = if presented {
        (
            "the API token is wrong",
            r#"Bearer realm="facetally", error="invalid_token""#,
        )
    } else {
        (
            "this server needs an API token: send `Authorization: Bearer <token>`",
            r#"Bearer realm="facetally""#,
        )
    };
    let body = ErrorBody {
        error: message.into(),
        fields: BTreeMap::new(),
    };
    let mut response = (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

/// A browser navigating to a page (not the API, server functions or an asset fetch).
fn is_page_request(request: &Request) -> bool {
    let path = request.uri().path();
    let accepts_html = request
        .headers()
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("text/html"));
    matches!(*request.method(), Method::GET | Method::HEAD)
        && accepts_html
        && !path.starts_with("/api/")
        && !path.starts_with("/rpc/")
}

/// The credentials of an `Authorization: Bearer <token>` header (scheme case-insensitive).
fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Every value of the cookie `name` in the request's `Cookie` headers.
pub(super) fn cookie_values<'a>(
    headers: &'a HeaderMap,
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(move |pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
}

fn digest(value: &str) -> [u8; 32] {
    Sha256::digest(value.as_bytes()).into()
}

/// Escapes the bytes a cookie value may not hold (RFC 6265 `cookie-octet`) as `%XX`.
fn cookie_escape(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'!' | b'#'..=b'$' | b'&'..=b'+' | b'-'..=b':' | b'<'..=b'[' | b']'..=b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `/name` of every regular file directly in the site root.
fn top_level_files(site_root: &str) -> HashSet<String> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        return HashSet::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(|name| format!("/{name}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access() -> Access {
        Access::new(
            Some(&ApiToken::parse("s3cret;token,with\"odd%chars").unwrap()),
            "/nonexistent",
        )
    }

    #[test]
    fn cookie_value_holds_only_cookie_octets() {
        let access = access();
        let value = access.cookie_value().unwrap();
        assert_eq!(value, "s3cret%3Btoken%2Cwith%22odd%25chars");
        assert!(HeaderValue::from_str(&format!("{COOKIE_NAME}={value}")).is_ok());
    }

    #[test]
    fn admits_the_token_in_a_header_or_the_cookie_only() {
        let access = access();
        let with = |name: header::HeaderName, value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(name, HeaderValue::from_str(value).unwrap());
            access.admits(&headers)
        };
        assert!(with(
            header::AUTHORIZATION,
            "Bearer s3cret;token,with\"odd%chars"
        ));
        assert!(with(
            header::AUTHORIZATION,
            "bearer s3cret;token,with\"odd%chars"
        ));
        assert!(!with(
            header::AUTHORIZATION,
            "Basic s3cret;token,with\"odd%chars"
        ));
        assert!(!with(
            header::AUTHORIZATION,
            "Bearer s3cret;token,with\"odd%charz"
        ));
        assert!(with(
            header::COOKIE,
            &format!("a=b; {COOKIE_NAME}={}", access.cookie_value().unwrap())
        ));
        assert!(!with(
            header::COOKIE,
            &format!("{COOKIE_NAME}=s3cret;token")
        ));
        assert!(!access.admits(&HeaderMap::new()));
    }
}
