//! Uploads: bad input gets a clear 4xx and leaves nothing behind.

use crate::helpers::*;
use app::model::ErrorBody;

async fn assert_rejected(
    app: &TestApp,
    response: reqwest::Response,
    status: u16,
    field: Option<&str>,
    mentions: &str,
) {
    assert_eq!(response.status(), status);
    let body: ErrorBody = response.json().await.expect("JSON error body");
    assert!(
        body.error.contains(mentions),
        "{:?} should mention {mentions:?}",
        body.error
    );
    if let Some(field) = field {
        assert!(
            body.fields.contains_key(field),
            "field {field} in {:?}",
            body.fields
        );
    }
    assert!(app.list().await.is_empty(), "nothing stored");
    assert!(
        app.stored_files().is_empty(),
        "no files left: {:?}",
        app.stored_files()
    );
}

fn shared_bytes(name: &str) -> Vec<u8> {
    std::fs::read(video(name)).unwrap()
}

#[tokio::test]
async fn bad_uploads_get_4xx_naming_the_file_and_leave_nothing_behind() {
    let app = spawn_app().await;

    let text = app
        .upload(
            vec![("notes.mp4".into(), b"this is not a video\n".repeat(100))],
            None,
        )
        .await;
    assert_rejected(&app, text, 422, Some("files[0]"), "notes.mp4").await;

    let empty = app
        .upload(vec![("empty.avi".into(), Vec::new())], None)
        .await;
    assert_rejected(&app, empty, 422, Some("files[0]"), "empty.avi").await;

    // carphone_pristine.mp4 keeps its index at the end: cut short, it cannot be opened.
    let mut truncated = shared_bytes("carphone_pristine.mp4");
    truncated.truncate(truncated.len() / 3);
    let cut = app.upload(vec![("cut.mp4".into(), truncated)], None).await;
    assert_rejected(&app, cut, 422, Some("files[0]"), "cut.mp4").await;

    // One bad file among good ones: the whole request is refused, the good ones are not kept.
    let mixed = app
        .upload(
            vec![
                ("carphone.mp4".into(), shared_bytes("carphone_pristine.mp4")),
                ("bad.avi".into(), b"garbage".to_vec()),
            ],
            None,
        )
        .await;
    assert_rejected(&app, mixed, 422, Some("files[1]"), "bad.avi").await;

    let none = app.upload(vec![], Some("true")).await;
    assert_rejected(&app, none, 422, Some("files"), "at least one").await;

    let flag = app
        .upload(
            vec![("carphone.mp4".into(), shared_bytes("carphone_pristine.mp4"))],
            Some("perhaps"),
        )
        .await;
    assert_rejected(&app, flag, 422, Some("create_profiles"), "true").await;

    let not_multipart = app
        .client
        .post(app.url("/api/videos"))
        .body("hello")
        .send()
        .await
        .unwrap();
    assert!(not_multipart.status().is_client_error());
    assert!(app.list().await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn files_over_the_upload_limit_get_413() {
    let app = spawn_app_with(AppOptions {
        max_upload_bytes: 100_000,
        ..Default::default()
    })
    .await;
    let big = app
        .upload(
            vec![("carphone.mp4".into(), shared_bytes("carphone_pristine.mp4"))],
            None,
        )
        .await;
    assert_rejected(&app, big, 413, None, "carphone.mp4").await;
    app.stop().await;
}

#[tokio::test]
async fn create_profiles_is_stored_and_file_names_are_sanitised() {
    let app = spawn_app().await;
    let response = app
        .upload(
            vec![(
                "../../etc/камера 1.mp4".into(),
                shared_bytes("carphone_pristine.mp4"),
            )],
            Some("true"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let videos: Vec<app::model::Video> = response.json().await.unwrap();
    assert_eq!(videos[0].filename, "камера 1.mp4");
    assert!(videos[0].create_profiles);
    assert_eq!((videos[0].width, videos[0].height), (Some(176), Some(144)));
    assert_eq!(videos[0].frames_total, Some(120));
    app.stop().await;
}

#[tokio::test]
async fn a_truncated_video_that_still_decodes_fails_but_keeps_its_counts() {
    let app = spawn_app().await;
    let mut bytes = shared_bytes("Megamind.avi");
    bytes.truncate(bytes.len() * 3 / 10);
    let response = app.upload(vec![("cut.avi".into(), bytes)], None).await;
    assert_eq!(response.status(), 201);
    let created: Vec<app::model::Video> = response.json().await.unwrap();
    let video = app
        .wait_final(&created[0].id, std::time::Duration::from_secs(120))
        .await;
    assert_eq!(video.status, app::model::VideoStatus::Failed);
    assert!(
        video.frames_processed > 0 && video.frames_processed < 270,
        "{}",
        video.frames_processed
    );
    assert!(
        video.faces_total > 0,
        "the faces of the decoded frames are kept"
    );
    assert!(
        video
            .error
            .as_deref()
            .unwrap_or("")
            .contains("damaged or truncated"),
        "{:?}",
        video.error
    );
    app.stop().await;
}

#[tokio::test]
async fn the_uploaded_file_is_served_back_with_ranges() {
    let app = spawn_app().await;
    let bytes = shared_bytes("carphone_pristine.mp4");
    let created: Vec<app::model::Video> = app
        .upload(vec![("c.mp4".into(), bytes.clone())], None)
        .await
        .json()
        .await
        .unwrap();
    let url = app.url(&format!("/api/videos/{}/file", created[0].id));
    let whole = app.client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-type"], "video/mp4");
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let part = app
        .client
        .get(&url)
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap().as_ref(), &bytes[100..200]);
    let unknown = format!("/api/videos/{}/file", uuid::Uuid::now_v7());
    assert_eq!(
        app.client
            .get(app.url(&unknown))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let malformed = app
        .client
        .get(app.url("/api/videos/nope/file"))
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn requests_over_the_request_limit_get_413_and_keep_nothing() {
    let one = shared_bytes("carphone_pristine.mp4");
    let app = spawn_app_with(AppOptions {
        http: server::config::HttpArgs {
            max_request_bytes: one.len() as u64 * 3 / 2,
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let two = vec![("a.mp4".into(), one.clone()), ("b.mp4".into(), one.clone())];
    let response = app.upload(two, None).await;
    assert_rejected(&app, response, 413, None, "FACETALLY_MAX_REQUEST_BYTES").await;
    let single = app.upload(vec![("a.mp4".into(), one)], None).await;
    assert_eq!(single.status(), 201, "one file fits");
    app.stop().await;
}

#[tokio::test]
async fn uploads_that_would_fill_the_disk_get_507_and_keep_nothing() {
    // The disk is already under the minimum: refused before a byte is written.
    refused_keeping_free(|free| free * 2, "FACETALLY_MIN_FREE_BYTES").await;
    // 1 MiB to spare, a 3 MB file: refused part-way (or at once if the disk filled meanwhile).
    refused_keeping_free(|free| free.saturating_sub(1024 * 1024), "nearly full").await;
}

/// Uploads faces.mp4 to an app that keeps `keep(bytes free now)` free: a 507 that mentions
/// `mentions`, and nothing kept.
async fn refused_keeping_free(keep: impl Fn(u64) -> u64, mentions: &str) {
    let probe = spawn_app().await;
    let stat = rustix::fs::statvfs(probe.data_dir.path()).expect("statvfs");
    let free = stat.f_bavail * stat.f_frsize;
    probe.stop().await;
    let app = spawn_app_with(AppOptions {
        http: server::config::HttpArgs {
            min_free_bytes: keep(free),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let response = app
        .upload(vec![("f.mp4".into(), shared_bytes("faces.mp4"))], None)
        .await;
    assert_rejected(&app, response, 507, None, mentions).await;
    app.stop().await;
}
