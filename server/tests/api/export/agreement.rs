//! One processed video with a profile: every export holds the API's rows, CSV and JSON
//! agree cell by cell, Cyrillic is byte-exact and a formula in a file name is defused.
//! (Profile names must be letters, so the file name is the text that carries a formula.)

use super::{csv_export, json_export};
use crate::helpers::*;
use app::model::{Profile, ProfilePage, Video};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

/// A file name a spreadsheet would run as a formula (names of profiles must be letters, so
/// the file name is the text field that carries it); the comma makes the CSV quote it.
const FORMULA_NAME: &str = "=SUM(1,2) камера.mp4";
const CYRILLIC: &str = "Иванов Иван Иванович";

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
