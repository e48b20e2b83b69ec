//! CSV and JSON exports: the same rows as the API in both formats, Cyrillic byte-exact,
//! formulas defused, 20 000 profiles sent in many bounded chunks, and the API token.

use crate::helpers::*;
use app::model::{Profile, ProfilePage, Video};
use futures::StreamExt;
use serde_json::{json, Value};
use server::config::{ApiToken, HttpArgs};
use std::collections::HashMap;
use std::time::Duration;

const BOM: &[u8] = "\u{feff}".as_bytes();
/// A file name a spreadsheet would run as a formula (names of profiles must be letters, so
/// the file name is the text field that carries it); the comma makes the CSV quote it.
const FORMULA_NAME: &str = "=SUM(1,2) камера.mp4";
const CYRILLIC: &str = "Иванов Иван Иванович";
const PATHS: [&str; 6] = [
    "/api/export/videos.csv",
    "/api/export/videos.json",
    "/api/export/profiles.csv",
    "/api/export/profiles.json",
    "/api/export/appearances.csv",
    "/api/export/appearances.json",
];

/// A CSV export: header and rows, the byte order mark stripped; checks the headers of the
/// answer on the way.
async fn csv_export(app: &TestApp, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let response = app
        .client
        .get(app.url(&format!("/api/export/{name}.csv")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{name}.csv");
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_attachment(&response, name, "csv");
    let bytes = response.bytes().await.unwrap();
    let body = bytes
        .strip_prefix(BOM)
        .expect("starts with a UTF-8 byte order mark");
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// A JSON export, parsed.
async fn json_export(app: &TestApp, name: &str) -> Vec<serde_json::Map<String, Value>> {
    let response = app
        .client
        .get(app.url(&format!("/api/export/{name}.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{name}.json");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_attachment(&response, name, "json");
    response.json().await.unwrap()
}

fn assert_attachment(response: &reqwest::Response, name: &str, ext: &str) {
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    let date = disposition
        .strip_prefix(&format!("attachment; filename=\"facetally-{name}-"))
        .and_then(|rest| rest.strip_suffix(&format!(".{ext}\"")))
        .unwrap_or_else(|| panic!("{disposition}"));
    assert!(
        date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()),
        "{disposition}"
    );
}

/// What the CSV holds for a JSON value: text as is but with a `'` before a formula,
/// numbers and flags as written, null empty.
fn same_cell(csv: &str, json: &Value) -> bool {
    match json {
        Value::Null => csv.is_empty(),
        Value::Bool(flag) => csv == flag.to_string(),
        Value::Number(n) => csv.parse::<f64>().ok() == n.as_f64(),
        Value::String(text) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            csv.strip_prefix('\'') == Some(text.as_str())
        }
        Value::String(text) => csv == text,
        other => panic!("unexpected JSON value {other}"),
    }
}

/// Both exports of `name`: same header as the JSON field names, same rows in the same order.
async fn both(
    app: &TestApp,
    name: &str,
    columns: &[&str],
) -> (
    Vec<HashMap<String, String>>,
    Vec<serde_json::Map<String, Value>>,
) {
    let (header, rows) = csv_export(app, name).await;
    assert_eq!(header, columns, "{name}.csv header");
    let objects = json_export(app, name).await;
    assert_eq!(rows.len(), objects.len(), "{name}: CSV and JSON rows");
    let mut keyed = Vec::new();
    for (row, object) in rows.iter().zip(&objects) {
        assert_eq!(object.len(), columns.len(), "{name}: {object:?}");
        for (column, cell) in header.iter().zip(row) {
            assert!(
                same_cell(cell, &object[column]),
                "{name}.{column}: CSV {cell:?}, JSON {}",
                object[column]
            );
        }
        keyed.push(header.iter().cloned().zip(row.iter().cloned()).collect());
    }
    (keyed, objects)
}

#[tokio::test]
async fn exports_hold_the_api_rows_in_csv_and_json() {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let created: Vec<Video> = app
        .upload(vec![(FORMULA_NAME.into(), bytes)], Some("true"))
        .await
        .json()
        .await
        .unwrap();
    let video = app
        .wait_final(&created[0].id, Duration::from_secs(120))
        .await;
    assert_eq!(
        video.filename, FORMULA_NAME,
        "the upload keeps the file name"
    );
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert!(page.total >= 1, "the video made a profile");
    let named = &page.items[0].id;
    let patch = json!({"full_name": CYRILLIC, "gender": "male", "birth_date": "1985-04-12"});
    assert_eq!(app.patch_profile(named, patch).await.status(), 200);

    let videos = app.list().await;
    let (rows, _) = both(
        &app,
        "videos",
        &[
            "id",
            "filename",
            "status",
            "uploaded_at",
            "finished_at",
            "duration_s",
            "fps",
            "width",
            "height",
            "frames_total",
            "frames_processed",
            "faces_total",
            "max_faces_in_frame",
            "frames_with_faces",
            "people_count",
            "processing_fps",
            "size_bytes",
            "error",
        ],
    )
    .await;
    assert_eq!(rows.len(), videos.len());
    let row = &rows[0];
    assert_eq!(row["id"], video.id);
    assert_eq!(
        row["filename"],
        format!("'{FORMULA_NAME}"),
        "the formula is defused"
    );
    assert_eq!(
        (row["status"].as_str(), row["uploaded_at"].as_str()),
        ("done", video.created_at.as_str())
    );
    assert_eq!(row["finished_at"], video.updated_at);
    for (column, value) in [
        ("faces_total", video.faces_total),
        ("max_faces_in_frame", video.max_faces_in_frame),
        ("frames_with_faces", video.frames_with_faces),
        ("frames_processed", video.frames_processed),
    ] {
        assert_eq!(row[column], value.to_string(), "{column}");
    }
    assert_eq!(row["people_count"], video.people_count.unwrap().to_string());

    let (rows, objects) = both(
        &app,
        "profiles",
        &[
            "id",
            "full_name",
            "gender",
            "birth_date",
            "hidden",
            "video_count",
            "first_seen",
            "last_seen",
            "created_at",
            "updated_at",
        ],
    )
    .await;
    assert_eq!(rows.len() as i64, page.total, "one row per profile");
    let row = rows
        .iter()
        .find(|r| &r["id"] == named)
        .expect("the named profile");
    assert_eq!(
        row["full_name"].as_bytes(),
        CYRILLIC.as_bytes(),
        "Cyrillic byte-exact"
    );
    let object = objects.iter().find(|o| o["id"] == named.as_str()).unwrap();
    assert_eq!(object["full_name"], CYRILLIC);
    assert_eq!(
        (
            row["gender"].as_str(),
            row["birth_date"].as_str(),
            row["hidden"].as_str()
        ),
        ("male", "1985-04-12", "false")
    );
    assert_eq!(
        (
            row["video_count"].as_str(),
            row["first_seen"].as_str(),
            row["last_seen"].as_str()
        ),
        ("1", video.created_at.as_str(), video.created_at.as_str())
    );

    let (rows, _) = both(
        &app,
        "appearances",
        &[
            "person_id",
            "profile_id",
            "video_id",
            "filename",
            "episode",
            "start_s",
            "end_s",
        ],
    )
    .await;
    let mut expected = 0;
    for profile in &page.items {
        let profile: Profile = app.get_json(&format!("/api/profiles/{}", profile.id)).await;
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r["profile_id"] == profile.id)
            .collect();
        let appearances = &profile.videos[0].appearances;
        assert_eq!(mine.len(), appearances.len(), "one row per episode");
        for (row, appearance) in mine.iter().zip(appearances) {
            assert_eq!(row["filename"], format!("'{FORMULA_NAME}"));
            assert_eq!(row["start_s"].parse::<f64>().unwrap(), appearance.start_s);
            assert_eq!(row["end_s"].parse::<f64>().unwrap(), appearance.end_s);
        }
        expected += appearances.len();
    }
    assert!(expected > 0);
    assert_eq!(
        rows.len(),
        expected,
        "every episode is a profile's (all people got profiles)"
    );
    app.stop().await;
}

const BULK: usize = 20_000;

/// Inserts `BULK` profiles in one statement (the same SQL on SQLite and PostgreSQL).
async fn insert_profiles(app: &TestApp) {
    let db = server::db::Db::connect(&app.database_url).await.unwrap();
    sqlx::query(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {BULK}) \
         INSERT INTO profiles (id, full_name, name_key, crop_key, embedding, created_at, updated_at) \
         SELECT 'bulk-' || i, 'Петров Пётр ' || i, 'петров петр ' || i, 'profiles/bulk/crop.jpg', $1, \
         '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z' FROM n"
    ))
    .bind(vec![0u8; 16])
    .execute(db.pool())
    .await
    .unwrap();
    db.close().await;
}

#[tokio::test]
async fn twenty_thousand_profiles_stream_in_bounded_chunks() {
    let app = spawn_app().await;
    insert_profiles(&app).await;
    let page: ProfilePage = app.get_json("/api/profiles?limit=1").await;
    assert_eq!(page.total, BULK as i64);

    let response = app
        .client
        .get(app.url("/api/export/profiles.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("content-length").is_none(),
        "streamed, length unknown"
    );
    let mut chunks = response.bytes_stream();
    let first = chunks.next().await.expect("a first chunk").unwrap();
    assert!(first.starts_with(BOM), "the head comes first");
    let mut body = first.to_vec();
    let (mut count, mut largest) = (1, first.len());
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.unwrap();
        count += 1;
        largest = largest.max(chunk.len());
        body.extend_from_slice(&chunk);
    }
    assert!(
        first.len() < body.len() / 10,
        "the first chunk ({} bytes) is a small part of {} bytes",
        first.len(),
        body.len()
    );
    assert!(count >= 20, "{count} chunks");
    assert!(
        largest <= 256 * 1024,
        "largest chunk {largest} bytes: one batch, not the table"
    );
    let mut reader = csv::Reader::from_reader(&body[BOM.len()..]);
    let ids: std::collections::HashSet<String> =
        reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(ids.len(), BULK, "every profile exactly once");
    assert!(ids.contains("bulk-1") && ids.contains(&format!("bulk-{BULK}")));

    let objects = json_export(&app, "profiles").await;
    assert_eq!(objects.len(), BULK);
    let json_ids: std::collections::HashSet<String> = objects
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(json_ids, ids);
    app.stop().await;
}

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
