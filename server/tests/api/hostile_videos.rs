//! Odd videos that are accepted must end in a clear final state, never hang; hostile file
//! names are stored under safe names, never outside storage. (A NUL or line break in a
//! part's header is malformed multipart: `hostile.rs` expects 400 for those.)

use crate::fixtures::{self, file, multipart, BOUNDARY};
use crate::helpers::*;
use app::model::{Video, VideoStatus};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);

/// Final status, faces and frames each odd video must end with (`None`: any count).
struct Expected {
    name: &'static str,
    bytes: Vec<u8>,
    status: VideoStatus,
    faces: Option<i64>,
    frames: Option<i64>,
    error_mentions: Option<&'static str>,
}

#[tokio::test]
async fn odd_but_readable_videos_end_in_a_clear_final_state() {
    let app = spawn_app().await;
    let table = vec![
        Expected {
            name: "corrupted body (header fine, rest noise)",
            bytes: fixtures::corrupted_avi(),
            status: VideoStatus::Failed,
            faces: None,
            frames: None,
            error_mentions: Some("damaged"),
        },
        Expected {
            name: "64x64 pixels",
            bytes: fixtures::generated("64x64.avi"),
            status: VideoStatus::Done,
            faces: Some(0),
            frames: Some(10),
            error_mentions: None,
        },
        Expected {
            name: "header claims 60000x60000",
            bytes: fixtures::giant_header_avi(),
            status: VideoStatus::Done,
            faces: Some(365),
            frames: Some(270),
            error_mentions: None,
        },
        Expected {
            name: "0 fps in every header",
            bytes: fixtures::zero_fps_avi(),
            status: VideoStatus::Done,
            faces: Some(365),
            frames: Some(270),
            error_mentions: None,
        },
        Expected {
            name: "7680x4320 frames",
            bytes: fixtures::generated("7680x4320.avi"),
            status: VideoStatus::Done,
            faces: Some(0),
            frames: Some(3),
            error_mentions: None,
        },
    ];
    let mut created = Vec::new();
    for expected in &table {
        let response = app
            .upload(
                vec![(format!("{}.avi", expected.name), expected.bytes.clone())],
                None,
            )
            .await;
        assert_eq!(
            response.status(),
            201,
            "{}: {}",
            expected.name,
            response.text().await.unwrap_or_default()
        );
        let videos: Vec<Video> = response.json().await.unwrap();
        created.push(videos[0].id.clone());
    }
    let mut failures = Vec::new();
    for (expected, id) in table.iter().zip(&created) {
        let video = app.wait_final(id, LIMIT).await;
        let error = video.error.clone().unwrap_or_default();
        let matches = video.status == expected.status
            && expected.faces.is_none_or(|f| f == video.faces_total)
            && expected.frames.is_none_or(|f| f == video.frames_processed)
            && expected.error_mentions.is_none_or(|m| error.contains(m));
        if !matches {
            failures.push(format!(
                "{}: {} faces={} frames={} error={error:?}",
                expected.name, video.status, video.faces_total, video.frames_processed
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}

#[tokio::test]
async fn hostile_file_names_are_stored_under_safe_names() {
    let app = spawn_app().await;
    let long = format!("{}.avi", "я".repeat(300));
    let names: Vec<(Vec<u8>, String)> = vec![
        (b"../../../../etc/passwd.avi".to_vec(), "passwd.avi".into()),
        (
            b"..\\..\\windows\\system32\\cam.avi".to_vec(),
            "cam.avi".into(),
        ),
        (long.as_bytes().to_vec(), long.chars().take(200).collect()),
        (
            "clip\u{202E}iva.exe".as_bytes().to_vec(),
            "clipiva.exe".into(),
        ),
        (
            "מצלמה ראשית.avi".as_bytes().to_vec(),
            "מצלמה ראשית.avi".into(),
        ),
        (
            "камера 🎥👀.avi".as_bytes().to_vec(),
            "камера 🎥👀.avi".into(),
        ),
        (b"..".to_vec(), "video".into()),
        (b"".to_vec(), "video".into()),
    ];
    let bytes = fixtures::generated("64x64.avi");
    let mut failures = Vec::new();
    for (raw, expected) in &names {
        let mut part = file("x", bytes.clone());
        part.filename = Some(raw.clone());
        let response = app
            .client
            .post(app.url("/api/videos"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(multipart(&[part], false))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        match serde_json::from_str::<Vec<Video>>(&text) {
            Ok(videos) if status == 201 && videos[0].filename == *expected => {}
            _ => failures.push(format!(
                "{:?}: expected 201 {expected:?}, got {status} {text:.200}",
                String::from_utf8_lossy(raw)
            )),
        }
    }
    let files_root = app.data_dir.path().join("files").canonicalize().unwrap();
    for path in app.stored_files() {
        let path = path.canonicalize().unwrap();
        assert!(
            path.starts_with(&files_root),
            "{} escaped storage",
            path.display()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.stop().await;
}
