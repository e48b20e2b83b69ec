//! The exports behind the API token, and in the OpenAPI document.

use super::{BOM, PATHS};
use crate::helpers::*;
use serde_json::{json, Value};
use server::config::{ApiToken, HttpArgs};

#[tokio::test]
async fn exports_need_the_api_token_when_one_is_set() {
    let token = "export-token-0123456789abcdef";
    let app = spawn_app_with(AppOptions {
        http: HttpArgs {
            api_token: Some(ApiToken::parse(token).unwrap()),
            ..HttpArgs::default()
        },
        ..AppOptions::default()
    })
    .await;
    for path in PATHS {
        let refused = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(refused.status(), 401, "{path} without the token");
        let wrong = app
            .client
            .get(app.url(path))
            .bearer_auth("export-token-wrong-0123456789")
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 401, "{path} with a wrong token");
        let admitted = app
            .client
            .get(app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(admitted.status(), 200, "{path} with the token");
        let body = admitted.bytes().await.unwrap();
        if path.ends_with(".csv") {
            assert!(
                body.starts_with(BOM) && body.ends_with(b"\r\n"),
                "{path}: header only"
            );
        } else {
            assert_eq!(
                serde_json::from_slice::<Vec<Value>>(&body).unwrap(),
                Vec::<Value>::new()
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn exports_are_in_the_openapi_document() {
    let app = spawn_app().await;
    let spec: Value = app.get_json("/api/openapi.json").await;
    for path in PATHS {
        let get = &spec["paths"][path]["get"];
        assert_eq!(get["tags"], json!(["export"]), "{path}");
        let content = &get["responses"]["200"]["content"];
        let media = if path.ends_with(".csv") {
            "text/csv"
        } else {
            "application/json"
        };
        assert!(content.get(media).is_some(), "{path}: {content}");
        assert!(
            get["responses"]["200"]["headers"]
                .get("content-disposition")
                .is_some(),
            "{path}"
        );
    }
    assert!(spec["components"]["schemas"].get("ProfileRecord").is_some());
    app.stop().await;
}

/// The pages render the export links as plain `<a href download>` (no script needed).
#[tokio::test]
async fn pages_link_to_the_downloads() {
    let app = spawn_app().await;
    for (page, names) in [
        ("/", &["videos"][..]),
        ("/profiles", &["profiles", "appearances"][..]),
    ] {
        let html = app
            .client
            .get(app.url(page))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for name in names {
            for ext in ["csv", "json"] {
                let link = format!("href=\"/api/export/{name}.{ext}\" download=\"\"");
                assert!(html.contains(&link), "{page} lacks {link}");
            }
        }
    }
    app.stop().await;
}
