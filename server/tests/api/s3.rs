//! Storage on a real S3 server: s3s-fs (`scripts/setup.sh` installs it), which serves a
//! folder over the S3 protocol; one per test binary, each test with its own bucket.
//! Without s3s-fs these tests are skipped, unless FACETALLY_REQUIRE_S3=1 (CI), where they fail.

use crate::helpers::*;
use crate::s3_server::{self, S3Server};
use app::model::{ProfilePage, Video, VideoStatus};
use server::storage::Storage;
use std::path::Path;
use std::time::Duration;

/// The shared s3s-fs, with the `AWS_*` variables of this process pointed at it (set once,
/// before any S3 storage opens); `None` (skip) without it.
fn shared_s3() -> Option<&'static S3Server> {
    static ENV_SET: std::sync::Once = std::sync::Once::new();
    let server = s3_server::server()?;
    ENV_SET.call_once(|| {
        for (key, value) in server.env() {
            std::env::set_var(key, value);
        }
    });
    Some(server)
}

/// Every file under `dir`, relative to it, sorted.
fn objects(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, found);
            } else {
                found.push(
                    path.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort();
    found
}

#[tokio::test]
async fn s3_storage_round_trips_a_multipart_upload() {
    let Some(s3) = shared_s3() else { return };
    let (bucket, dir) = s3.bucket();
    let data_dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(data_dir.path(), Some(&format!("s3://{bucket}/pre/fix")))
        .await
        .expect("s3 opens");
    let bytes: Vec<u8> = (0..20 * 1024 * 1024 + 777)
        .map(|i: usize| (i.wrapping_mul(31) ^ (i >> 13)) as u8)
        .collect();
    let (file, upload) = storage.incoming_file().unwrap();
    drop(file);
    std::fs::write(&upload, &bytes).unwrap();
    let key = Storage::video_key("big", "big.MP4");
    storage.store(upload, &key).await.expect("multipart upload");
    assert_eq!(objects(&dir), ["pre/fix/videos/big/original.mp4"]);
    assert!(
        std::fs::read(dir.join("pre/fix").join(&key)).unwrap() == bytes,
        "stored bytes differ"
    );
    assert_eq!(storage.local_path(&key), None);

    let copy = storage.local_copy(&key).await.expect("download");
    assert!(
        std::fs::read(copy.path()).unwrap() == bytes,
        "downloaded bytes differ"
    );
    let copy_path = copy.path().to_path_buf();
    drop(copy);
    assert!(!copy_path.exists(), "download removed after use");

    storage
        .put("profiles/p/crop.jpg", b"jpeg".to_vec())
        .await
        .unwrap();
    assert_eq!(
        storage
            .read("profiles/p/crop.jpg")
            .await
            .unwrap()
            .as_deref(),
        Some(&b"jpeg"[..])
    );
    assert_eq!(storage.read("profiles/q/crop.jpg").await.unwrap(), None);
    storage
        .delete_prefix(&Storage::video_prefix("big"))
        .await
        .unwrap();
    storage.delete("profiles/p/crop.jpg").await.unwrap();
    assert!(objects(&dir).is_empty(), "{:?}", objects(&dir));
}

#[tokio::test]
async fn videos_on_s3_are_processed_served_and_deleted() {
    let Some(s3) = shared_s3() else { return };
    let (bucket, dir) = s3.bucket();
    let app = spawn_app_with(AppOptions {
        storage_url: Some(format!("s3://{bucket}/facetally")),
        ..Default::default()
    })
    .await;
    let original = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let response = app
        .upload(
            vec![("carphone.mp4".into(), original.clone())],
            Some("true"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Vec<Video> = response.json().await.unwrap();
    let id = &created[0].id;
    let done = app.wait_final(id, Duration::from_secs(180)).await;
    assert_eq!(done.status, VideoStatus::Done, "{:?}", done.error);
    let direct = direct_scan("carphone_pristine.mp4").await;
    assert_eq!(
        (done.faces_total, direct.faces_total),
        (120, 120),
        "same counts as on local storage"
    );
    assert!(
        app.stored_files().is_empty(),
        "nothing kept on local disk: {:?}",
        app.stored_files()
    );
    let stored = objects(&dir);
    let video_key = format!("facetally/videos/{id}/original.mp4");
    assert!(stored.contains(&video_key), "{stored:?}");
    assert_eq!(
        std::fs::metadata(dir.join(&video_key)).unwrap().len(),
        original.len() as u64
    );

    let url = app.url(&format!("/api/videos/{id}/file"));
    let part = app
        .client
        .get(&url)
        .header("range", "bytes=100-199")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 100-199/{}", original.len()).as_str()
    );
    assert_eq!(part.headers()["content-type"], "video/mp4");
    assert_eq!(&part.bytes().await.unwrap()[..], &original[100..200]);
    let whole = app.client.get(&url).send().await.unwrap();
    assert_eq!(whole.status(), 200);
    assert!(
        whole.bytes().await.unwrap() == original,
        "whole file served"
    );
    let past_end = app
        .client
        .get(&url)
        .header("range", format!("bytes={}-", original.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(past_end.status(), 416);

    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1);
    let crop = app
        .client
        .get(app.url(&page.items[0].crop_url))
        .send()
        .await
        .unwrap();
    assert_eq!(crop.status(), 200);
    assert_eq!(&crop.bytes().await.unwrap()[..2], &[0xFF, 0xD8], "a JPEG");
    let crop_key = format!("facetally/profiles/{}/crop.jpg", page.items[0].id);
    assert!(objects(&dir).contains(&crop_key), "{:?}", objects(&dir));

    let deleted = app
        .client
        .delete(app.url(&format!("/api/videos/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        objects(&dir),
        [crop_key],
        "the video's file and people crops are gone"
    );
    let deleted = app
        .client
        .delete(app.url(&format!("/api/profiles/{}", page.items[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(objects(&dir).is_empty(), "{:?}", objects(&dir));
    app.stop().await;
}
