//! Service endpoints: health, OpenAPI, Swagger UI, unknown ids.

use crate::helpers::*;
use std::time::Duration;

#[tokio::test]
async fn health_openapi_and_docs_are_served() {
    let app = spawn_app().await;
    let health = app.client.get(app.url("/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    let spec: serde_json::Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/videos",
        "/api/videos/{id}",
        "/api/videos/{id}/cancel",
        "/api/videos/{id}/file",
        "/api/events",
        "/api/health",
        "/api/profiles",
        "/api/profiles/{id}",
        "/api/profiles/{id}/crop",
    ] {
        assert!(
            spec["paths"].get(path).is_some(),
            "{path} missing from OpenAPI"
        );
    }
    for schema in ["Video", "Profile", "ProfilePage", "ErrorBody"] {
        assert!(
            spec["components"]["schemas"].get(schema).is_some(),
            "{schema} schema"
        );
    }

    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "Swagger UI page"
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_video_ids_get_404_json() {
    let app = spawn_app().await;
    for (method, path) in [
        (
            reqwest::Method::GET,
            "/api/videos/0190f000-0000-7000-8000-00000000abcd",
        ),
        (
            reqwest::Method::POST,
            "/api/videos/0190f000-0000-7000-8000-000000000000/cancel",
        ),
        (
            reqwest::Method::DELETE,
            "/api/videos/0190f000-0000-7000-8000-000000000000",
        ),
    ] {
        let response = app
            .client
            .request(method, app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let body: app::model::ErrorBody = response.json().await.unwrap();
        assert_eq!(body.error, "video not found");
    }
    app.stop().await;
}

#[tokio::test]
async fn connections_past_the_cap_wait_until_one_closes() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app_with(AppOptions {
        http: server::config::HttpArgs {
            max_connections: 2,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..2 {
        // A page's live updates: a request that stays open.
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let request = "GET /api/events HTTP/1.1\r\nHost: facetally\r\n\r\n";
        stream.write_all(request.as_bytes()).await.unwrap();
        held.push(stream);
    }
    let client = reqwest::Client::new();
    let health = app.url("/api/health");
    let third = tokio::spawn(async move { client.get(health).send().await.map(|r| r.status()) });
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(!third.is_finished(), "a third connection waits at the cap");
    drop(held.pop());
    let status = tokio::time::timeout(Duration::from_secs(10), third)
        .await
        .expect("served once a connection closed")
        .unwrap()
        .unwrap();
    assert_eq!(status, 200);
    drop(held);
    app.stop().await;
}

/// The schema at `pointer` of the OpenAPI document, following a `$ref`.
fn schema_at<'a>(spec: &'a serde_json::Value, pointer: &str) -> &'a serde_json::Value {
    let schema = spec
        .pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} missing from OpenAPI"));
    match schema["$ref"].as_str() {
        Some(reference) => spec
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} missing")),
        None => schema,
    }
}

#[tokio::test]
async fn binary_responses_and_form_bodies_are_typed_for_generated_clients() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app.get_json("/api/openapi.json").await;
    let binary = serde_json::json!({"type": "string", "format": "binary"});
    for (path, media) in [
        ("~1api~1people~1{id}~1crop", "image~1jpeg"),
        ("~1api~1people~1{id}~1episodes~1{n}~1thumb", "image~1jpeg"),
        ("~1api~1profiles~1{id}~1crop", "image~1jpeg"),
        ("~1api~1videos~1{id}~1file", "application~1octet-stream"),
        ("~1api~1videos~1{id}~1file", "video~1*"),
    ] {
        for status in ["200", "206"] {
            if status == "206" && !path.ends_with("file") {
                continue;
            }
            let pointer = format!("/paths/{path}/get/responses/{status}/content/{media}/schema");
            let schema = schema_at(&spec, &pointer);
            assert_eq!(
                (&schema["type"], &schema["format"]),
                (&binary["type"], &binary["format"]),
                "{pointer}: {schema}"
            );
        }
    }
    // The upload form: files are binary strings, nothing else is accepted.
    let upload = schema_at(
        &spec,
        "/paths/~1api~1videos/post/requestBody/content/multipart~1form-data/schema",
    );
    assert_eq!(upload["properties"]["files"]["items"]["format"], "binary");
    assert_eq!(upload["additionalProperties"], false);
    // The PATCH body: each text field a nullable string, unknown fields refused.
    let patch = schema_at(
        &spec,
        "/paths/~1api~1profiles~1{id}/patch/requestBody/content/application~1json/schema",
    );
    assert_eq!(patch["additionalProperties"], false);
    for field in ["full_name", "gender", "birth_date"] {
        let types = patch["properties"][field]["type"].to_string();
        assert!(
            types.contains("string") && types.contains("null"),
            "{field}: {types}"
        );
    }
    assert_eq!(patch["properties"]["birth_date"]["format"], "date");
    app.stop().await;
}
