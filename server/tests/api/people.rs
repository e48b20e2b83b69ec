//! People per video and profiles made from them, end to end through the API.

use crate::helpers::*;
use app::model::{ProfilePage, VideoStatus};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(240);

#[tokio::test]
async fn people_are_counted_and_profiles_made_only_when_asked() {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let without = app
        .upload(vec![("plain.mp4".into(), bytes)], Some("false"))
        .await;
    assert_eq!(without.status(), 201);
    let without: Vec<app::model::Video> = without.json().await.unwrap();
    let tree = app.upload_shared(&["tree.avi"]).await;
    let plain = app.wait_final(&without[0].id, LIMIT).await;
    assert_eq!(
        (plain.status, plain.people_count),
        (VideoStatus::Done, Some(1))
    );
    let tree = app.wait_final(&tree[0].id, LIMIT).await;
    assert_eq!(tree.people_count, Some(0));
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 0, "no profiles without create_profiles");

    // The same man in two different clips (the two halves of carphone, the second
    // mirrored), with profiles on: one profile that lists both videos.
    let dir = tempfile::tempdir().unwrap();
    let (first_half, second_half) =
        crate::search::stills::halves(dir.path(), "carphone_pristine.mp4", "2");
    let first = app
        .upload(vec![("first.mp4".into(), first_half)], Some("true"))
        .await;
    let first: Vec<app::model::Video> = first.json().await.unwrap();
    app.wait_final(&first[0].id, LIMIT).await;
    let second = app
        .upload(vec![("second.mp4".into(), second_half)], Some("true"))
        .await;
    let second: Vec<app::model::Video> = second.json().await.unwrap();
    app.wait_final(&second[0].id, LIMIT).await;
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1, "the same person is one profile: {page:?}");
    let profile = &page.items[0];
    let videos: Vec<&str> = profile.videos.iter().map(|v| v.filename.as_str()).collect();
    assert_eq!(videos, ["first.mp4", "second.mp4"]);
    let seen = &profile.videos[0].appearances;
    assert!(
        !seen.is_empty() && seen[0].start_s < 0.5 && seen.last().unwrap().end_s > 1.5,
        "{seen:?}"
    );
    assert!(profile.videos[0]
        .url
        .starts_with(&format!("/videos/{}?t=", first[0].id)));

    let crop = app
        .client
        .get(app.url(&profile.crop_url))
        .send()
        .await
        .unwrap();
    assert_eq!(crop.status(), 200);
    assert_eq!(crop.headers()["content-type"], "image/jpeg");
    assert!(crop.headers().contains_key("cache-control"));
    let jpeg = crop.bytes().await.unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
    app.stop().await;
}

#[tokio::test]
async fn faces_mp4_has_four_or_five_people_and_its_people_are_new_profiles() {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("faces.mp4")).unwrap();
    let created = app
        .upload(vec![("faces.mp4".into(), bytes)], Some("true"))
        .await;
    let created: Vec<app::model::Video> = created.json().await.unwrap();
    let done = app.wait_final(&created[0].id, LIMIT).await;
    let people = done.people_count.expect("people counted");
    assert!((4..=5).contains(&people), "faces.mp4: {people} people");
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, people, "one profile per person");
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_video_removes_its_people_crops_but_keeps_profiles() {
    let app = spawn_app().await;
    let created = app
        .upload(
            vec![(
                "c.mp4".into(),
                std::fs::read(video("carphone_pristine.mp4")).unwrap(),
            )],
            Some("true"),
        )
        .await;
    let created: Vec<app::model::Video> = created.json().await.unwrap();
    app.wait_final(&created[0].id, LIMIT).await;
    let response = app
        .client
        .delete(app.url(&format!("/api/videos/{}", created[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1);
    assert!(page.items[0].videos.is_empty());
    let files = app.stored_files();
    assert_eq!(files.len(), 1, "only the profile crop is left: {files:?}");
    assert!(files[0].ends_with("crop.jpg"));
    app.stop().await;
}
