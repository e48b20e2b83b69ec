//! `POST /auth/login` and `POST /auth/logout`: the targets of the login page's plain HTML
//! form and of the header's "Sign out" button. They work without JavaScript.

use super::auth::{Access, COOKIE_NAME};
use crate::error::ApiError;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;
use std::sync::Arc;

/// How long the browser keeps the cookie: 30 days, so the token is asked for once.
const COOKIE_MAX_AGE_SECS: u64 = 30 * 24 * 60 * 60;

/// The login form's fields.
#[derive(Debug, Deserialize)]
struct LoginForm {
    /// The typed token.
    #[serde(default)]
    token: String,
    /// Where to go after signing in (a path on this site).
    #[serde(default)]
    next: String,
}

/// The `/auth` routes.
pub fn router(access: Arc<Access>) -> Router {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .with_state(access)
}

/// Right token: sets the `HttpOnly`, `SameSite=Strict` cookie and goes to `next` (or `/`).
/// Wrong token: back to the login page with `error=1`, no cookie.
async fn login(
    State(access): State<Arc<Access>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Form(form) = match form {
        Ok(form) => form,
        Err(rejection) => return ApiError::BadRequest(rejection.body_text()).into_response(),
    };
    let next = safe_next(&form.next);
    let Some(cookie_value) = access.cookie_value() else {
        return Redirect::to(next).into_response();
    };
    if !access.is_token(form.token.trim()) {
        tracing::warn!("sign-in with a wrong API token");
        let back: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        return Redirect::to(&format!("/login?error=1&next={back}")).into_response();
    }
    tracing::info!("signed in with the API token");
    let secure = if is_https(&headers) { "; Secure" } else { "" };
    let cookie = format!("{COOKIE_NAME}={cookie_value}; HttpOnly; SameSite=Strict; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}{secure}");
    with_cookie(Redirect::to(next), &cookie)
}

/// Forgets the cookie and shows the login page.
async fn logout() -> Response {
    let cookie = format!("{COOKIE_NAME}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    with_cookie(Redirect::to("/login"), &cookie)
}

fn with_cookie(redirect: Redirect, cookie: &str) -> Response {
    let mut response = redirect.into_response();
    match HeaderValue::from_str(cookie) {
        Ok(value) => {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        Err(_) => tracing::error!("the session cookie is not a valid header value"),
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Whether the client reached us over HTTPS (a TLS-terminating proxy says so).
fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// `next` if it is a path on this site, else `/`: no other host (`//host`, `/\host`,
/// `https://…`), no control characters, never back to the `/auth` routes.
fn safe_next(next: &str) -> &str {
    let same_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.starts_with("/auth/")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if same_site {
        next
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        for (given, expected) in [
            ("/profiles?offset=100", "/profiles?offset=100"),
            ("/videos/0192", "/videos/0192"),
            ("", "/"),
            ("profiles", "/"),
            ("//evil.example/", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("/ok\\..", "/"),
            ("/a\nb", "/"),
            ("/auth/logout", "/"),
        ] {
            assert_eq!(safe_next(given), expected, "{given:?}");
        }
    }
}
