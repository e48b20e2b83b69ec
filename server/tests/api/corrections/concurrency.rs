//! One profile per person: copies of one new person's video finishing together, in one
//! process with several jobs and in two processes on one database, make exactly one profile;
//! two people of one video never share a profile.

use crate::helpers::*;
use app::model::Video;
use std::collections::HashSet;
use std::time::Duration;

/// Uploads `copies` copies of carphone with profiles, spread over `apps` in turn.
async fn copies_of_one_person(apps: &[&TestApp], copies: usize) -> Vec<Video> {
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let mut videos = Vec::new();
    for n in 0..copies {
        let app = apps[n % apps.len()];
        let response = app
            .upload(vec![(format!("copy-{n}.mp4"), bytes.clone())], Some("true"))
            .await;
        assert_eq!(response.status(), 201);
        let created: Vec<Video> = response.json().await.unwrap();
        videos.extend(created);
    }
    for video in &videos {
        let done = apps[0]
            .wait_final(&video.id, Duration::from_secs(300))
            .await;
        assert_eq!(done.status, app::model::VideoStatus::Done, "{done:?}");
    }
    videos
}

async fn assert_one_profile_with(app: &TestApp, videos: &[Video]) {
    let profiles = app.all_profiles().await;
    assert_eq!(profiles.len(), 1, "one person, one profile: {profiles:?}");
    let gallery = app.gallery(&profiles[0].id).await;
    let in_gallery: HashSet<&str> = gallery.iter().map(|p| p.video_id.as_str()).collect();
    let uploaded: HashSet<&str> = videos.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(in_gallery, uploaded, "every copy's person is in it");
    assert_eq!(gallery.len(), videos.len());
}

#[tokio::test]
async fn four_copies_on_two_jobs_make_one_profile() {
    let app = spawn_app_with(AppOptions {
        workers: 2,
        ..AppOptions::default()
    })
    .await;
    let videos = copies_of_one_person(&[&app], 4).await;
    assert_one_profile_with(&app, &videos).await;
}

#[tokio::test]
async fn four_copies_on_two_instances_of_one_database_make_one_profile() {
    let first = spawn_app_with(AppOptions {
        workers: 1,
        ..AppOptions::default()
    })
    .await;
    let second = join(
        &first,
        AppOptions {
            workers: 1,
            ..AppOptions::default()
        },
    )
    .await;
    let videos = copies_of_one_person(&[&first, &second], 4).await;
    assert_one_profile_with(&first, &videos).await;
    assert_one_profile_with(&second, &videos).await;
}

#[tokio::test]
async fn no_profile_holds_two_people_of_one_video() {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("faces.mp4")).unwrap();
    let faces = app.process("faces.mp4", bytes.clone(), true).await;
    // The same people again in a second video: each joins its own profile, none doubles up.
    let again = app.process("again.mp4", bytes, true).await;
    let profiles = app.all_profiles().await;
    assert_eq!(profiles.len() as i64, faces.people_count.unwrap());
    for profile in &profiles {
        let gallery = app.gallery(&profile.id).await;
        let mut seen = HashSet::new();
        for person in &gallery {
            assert!(
                seen.insert(person.video_id.clone()),
                "profile {} holds two people of video {}: {gallery:?}",
                profile.id,
                person.video_id
            );
        }
        assert_eq!(
            seen,
            HashSet::from([faces.id.clone(), again.id.clone()]),
            "each person of faces.mp4 is found again in the copy"
        );
    }
}
