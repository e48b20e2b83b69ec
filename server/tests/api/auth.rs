//! Access control: the optional API token (Bearer header or the login cookie) on every
//! protected route, the public exceptions, the login routes, CORS, and the security headers
//! with the CSP nonce of the page's inline scripts (in `auth/headers.rs`).

mod headers;

use crate::helpers::*;
use app::model::{ErrorBody, ProfilePage, Video};
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, StatusCode};
use server::config::{ApiToken, HttpArgs};
use std::time::Duration;

const TOKEN: &str = "correct-horse-battery-staple-42";
/// Part of the 401 message without a Bearer token, and with a wrong one.
const MISSING: &str = "needs an API token";
const WRONG: &str = "token is wrong";

fn with_http(http: HttpArgs) -> AppOptions {
    AppOptions {
        http,
        ..AppOptions::default()
    }
}

fn token_http() -> HttpArgs {
    HttpArgs {
        api_token: Some(ApiToken::parse(TOKEN).unwrap()),
        ..HttpArgs::default()
    }
}

/// A client that sends `headers` on every request and never follows redirects.
fn client(headers: &[(header::HeaderName, &str)]) -> reqwest::Client {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(name.clone(), value.parse().unwrap());
    }
    reqwest::Client::builder()
        .default_headers(map)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `POST /auth/login` with a form.
async fn login(app: &TestApp, token: &str, next: &str) -> reqwest::Response {
    client(&[])
        .post(app.url("/auth/login"))
        .form(&[("token", token), ("next", next)])
        .send()
        .await
        .unwrap()
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// Every protected route, with what to send; ids of a processed video and its profile.
fn protected_routes(
    video: &str,
    profile: &str,
    thumb: &str,
) -> Vec<(Method, String, Option<serde_json::Value>)> {
    let person = thumb
        .split('/')
        .nth(3)
        .expect("/api/people/{id}/episodes/0/thumb");
    let get = |path: String| (Method::GET, path, None);
    vec![
        get("/api/videos".into()),
        get(format!("/api/videos/{video}")),
        get(format!("/api/videos/{video}/file")),
        get("/api/profiles".into()),
        get(format!("/api/profiles/{profile}")),
        get(format!("/api/profiles/{profile}/crop")),
        get(thumb.to_owned()),
        get(format!("/api/people/{person}")),
        get(format!("/api/people/{person}/crop")),
        (
            Method::POST,
            "/api/search".into(),
            Some(serde_json::json!({"profile_id": profile})),
        ),
        (
            Method::PATCH,
            format!("/api/profiles/{profile}"),
            Some(serde_json::json!({"full_name": "Smith John"})),
        ),
        get("/api/openapi.json".into()),
        get("/api/events".into()),
        (Method::POST, "/rpc/list_videos".into(), None),
        get("/docs/".into()),
    ]
}

async fn send(
    client: &reqwest::Client,
    app: &TestApp,
    (method, path, body): &(Method, String, Option<serde_json::Value>),
) -> reqwest::Response {
    let request = client.request(method.clone(), app.url(path));
    let request = match body {
        // The search takes a multipart form: the JSON object's fields become its parts.
        Some(json) if path == "/api/search" => {
            let form = json
                .as_object()
                .unwrap()
                .iter()
                .fold(reqwest::multipart::Form::new(), |form, (k, v)| {
                    form.text(k.clone(), v.as_str().unwrap().to_owned())
                });
            request.multipart(form)
        }
        Some(json) => request.json(json),
        None if *method == Method::POST => request
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(""),
        None => request,
    };
    request.send().await.unwrap()
}

/// A token-protected app with one processed video that made one profile.
/// Also the URL of an episode picture of its person.
async fn protected_app_with_data() -> (TestApp, Video, String, String) {
    let mut app = spawn_app_with(with_http(token_http())).await;
    app.client = client(&[(header::AUTHORIZATION, &format!("Bearer {TOKEN}"))]);
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let response = app
        .upload(vec![("c.mp4".into(), bytes)], Some("true"))
        .await;
    assert_eq!(response.status(), 201);
    let created: Vec<Video> = response.json().await.unwrap();
    let done = app
        .wait_final(&created[0].id, Duration::from_secs(120))
        .await;
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1, "carphone makes one profile");
    let thumb = page.items[0].videos[0].episodes[0]
        .thumb_url
        .clone()
        .expect("an episode picture");
    (app, done, page.items[0].id.clone(), thumb)
}

#[tokio::test]
async fn every_protected_route_needs_the_token_in_the_header_or_the_cookie() {
    let (app, video, profile, thumb) = protected_app_with_data().await;
    let signed_in = login(&app, TOKEN, "/").await;
    let cookie = set_cookies(&signed_in)
        .into_iter()
        .next()
        .expect("login sets a cookie");
    let cookie_pair = cookie.split(';').next().unwrap().to_owned();

    let same_length_wrong = format!("{}X", &TOKEN[..TOKEN.len() - 1]);
    let refused = [
        ("no credentials", client(&[]), MISSING),
        (
            "wrong token, same length",
            client(&[(
                header::AUTHORIZATION,
                &format!("Bearer {same_length_wrong}"),
            )]),
            WRONG,
        ),
        (
            "wrong token, shorter",
            client(&[(header::AUTHORIZATION, "Bearer correct-horse")]),
            WRONG,
        ),
        (
            "wrong token, longer",
            client(&[(header::AUTHORIZATION, &format!("Bearer {TOKEN}{TOKEN}"))]),
            WRONG,
        ),
        (
            "token as Basic",
            client(&[(header::AUTHORIZATION, &format!("Basic {TOKEN}"))]),
            MISSING,
        ),
        (
            "wrong cookie",
            client(&[(
                header::COOKIE,
                &format!("facetally_token={same_length_wrong}"),
            )]),
            WRONG,
        ),
    ];
    let admitted = [
        (
            "Bearer header",
            client(&[(header::AUTHORIZATION, &format!("Bearer {TOKEN}"))]),
        ),
        (
            "login cookie",
            client(&[(header::COOKIE, &format!("theme=dark; {cookie_pair}"))]),
        ),
    ];
    for route in protected_routes(&video.id, &profile, &thumb) {
        for (case, client, expected) in &refused {
            let response = send(client, &app, &route).await;
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{} {}: {case}",
                route.0,
                route.1
            );
            let challenge = response.headers()[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .to_owned();
            assert!(challenge.starts_with("Bearer"), "{}: {challenge}", route.1);
            let body: ErrorBody = response.json().await.expect("401 body is ErrorBody JSON");
            assert!(
                body.error.contains(expected),
                "{} {case}: {}",
                route.1,
                body.error
            );
        }
        for (case, client) in &admitted {
            let response = send(client, &app, &route).await;
            assert_eq!(
                response.status(),
                StatusCode::OK,
                "{} {}: {case}",
                route.0,
                route.1
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn refused_requests_change_nothing() {
    let (app, video, profile, _) = protected_app_with_data().await;
    let anonymous = client(&[]);
    let upload = reqwest::multipart::Form::new().part(
        "files",
        reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.mp4"),
    );
    let response = anonymous
        .post(app.url("/api/videos"))
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    for (method, path) in [
        (Method::DELETE, format!("/api/profiles/{profile}")),
        (Method::POST, format!("/api/videos/{}/cancel", video.id)),
        (Method::DELETE, format!("/api/videos/{}", video.id)),
    ] {
        assert_eq!(
            anonymous
                .request(method, app.url(&path))
                .send()
                .await
                .unwrap()
                .status(),
            401,
            "{path}"
        );
    }
    assert_eq!(app.list().await, vec![video.clone()], "videos unchanged");
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(
        page.items.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        [profile.as_str()]
    );
    app.stop().await;
}

#[tokio::test]
async fn health_login_page_and_login_routes_are_public_and_pages_redirect_to_login() {
    let app = spawn_app_with(with_http(token_http())).await;
    let anonymous = client(&[]);
    assert_eq!(
        anonymous
            .get(app.url("/api/health"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let login_page = anonymous
        .get(app.url("/login"))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(login_page.status(), 200);
    let html = login_page.text().await.unwrap();
    assert!(
        html.contains(r#"action="/auth/login""#) && html.contains(r#"name="token""#),
        "login form"
    );
    assert!(!html.contains("Wrong token"));
    let failed = anonymous
        .get(app.url("/login?error=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(failed.contains("Wrong token"));

    for (path, location) in [
        ("/", "/login?next=%2F"),
        ("/profiles?page=2", "/login?next=%2Fprofiles%3Fpage%3D2"),
        ("/videos/abc", "/login?next=%2Fvideos%2Fabc"),
        ("/docs/", "/login?next=%2Fdocs%2F"),
        ("/no-such-page", "/login?next=%2Fno-such-page"),
    ] {
        let response = anonymous
            .get(app.url(path))
            .header(header::ACCEPT, "text/html,*/*;q=0.8")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.headers()[header::LOCATION], location, "{path}");
    }
    let page = client(&[(header::COOKIE, &format!("facetally_token={TOKEN}"))])
        .get(app.url("/"))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(r#"data-testid="sign-out""#),
        "sign-out button shown"
    );
    app.stop().await;
}

#[tokio::test]
async fn login_sets_an_http_only_strict_cookie_only_for_the_right_token() {
    let app = spawn_app_with(with_http(token_http())).await;
    let right = login(&app, TOKEN, "/profiles?page=2").await;
    assert_eq!(right.status(), StatusCode::SEE_OTHER);
    assert_eq!(right.headers()[header::LOCATION], "/profiles?page=2");
    let cookies = set_cookies(&right);
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    let attributes: Vec<&str> = cookies[0].split(';').map(str::trim).collect();
    assert_eq!(attributes[0], format!("facetally_token={TOKEN}"));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            attributes.contains(&attribute),
            "{attribute} in {cookies:?}"
        );
    }

    for (token, next) in [
        ("correct-horse-battery-staple-43", "/"),
        ("", "/"),
        ("short", "/profiles"),
    ] {
        let wrong = login(&app, token, next).await;
        assert_eq!(wrong.status(), StatusCode::SEE_OTHER, "{token:?}");
        let location = wrong.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(location.starts_with("/login?error=1"), "{location}");
        assert!(set_cookies(&wrong).is_empty(), "no cookie for {token:?}");
    }
    for next in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let response = login(&app, TOKEN, next).await;
        assert_eq!(response.headers()[header::LOCATION], "/", "{next}");
    }
    let not_a_form = client(&[])
        .post(app.url("/auth/login"))
        .json(&serde_json::json!({"token": TOKEN}))
        .send()
        .await
        .unwrap();
    assert!(not_a_form.status().is_client_error());
    assert!(set_cookies(&not_a_form).is_empty());
    assert!(
        not_a_form.json::<ErrorBody>().await.is_ok(),
        "bad form gets ErrorBody JSON"
    );

    let logout = client(&[])
        .post(app.url("/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(logout.headers()[header::LOCATION], "/login");
    assert!(
        set_cookies(&logout)[0].contains("Max-Age=0"),
        "logout clears the cookie"
    );
    app.stop().await;
}

#[tokio::test]
async fn without_a_token_everything_is_open_as_before() {
    let app = spawn_app().await;
    let anonymous = client(&[]);
    for path in [
        "/api/videos",
        "/api/profiles",
        "/api/openapi.json",
        "/api/events",
        "/docs/",
        "/login",
    ] {
        assert_eq!(
            anonymous.get(app.url(path)).send().await.unwrap().status(),
            200,
            "{path}"
        );
    }
    let page = anonymous
        .get(app.url("/"))
        .header(header::ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        !page
            .text()
            .await
            .unwrap()
            .contains(r#"data-testid="sign-out""#),
        "no sign-out without a token"
    );
    let rpc = anonymous
        .post(app.url("/rpc/list_videos"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(rpc.status(), 200);
    let login = login(&app, "anything-at-all-here", "/profiles").await;
    assert_eq!(login.headers()[header::LOCATION], "/profiles");
    assert!(
        set_cookies(&login).is_empty(),
        "no cookie when no token is configured"
    );
    app.stop().await;
}
