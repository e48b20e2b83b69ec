//! Search by a profile's people, and profiles made from people found without profiles.

use super::ok;
use super::stills::mirrored;
use crate::helpers::*;
use app::model::{ErrorBody, Profile, ProfilePage};

#[tokio::test]
async fn a_profile_finds_its_person_in_a_video_processed_without_profiles() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let with = app.process("with.mp4", original, true).await;
    let without = app
        .process(
            "without.mp4",
            mirrored(dir.path(), "carphone_pristine.mp4"),
            false,
        )
        .await;
    let faces = std::fs::read(video("faces.mp4")).unwrap();
    let faces = app.process("faces.mp4", faces, false).await;
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1);
    let profile = &page.items[0];
    assert_eq!(
        profile.videos.len(),
        1,
        "the second clip was processed without profiles"
    );
    assert_eq!(profile.videos[0].video_id, with.id);
    assert!(profile.videos[0].duration_s.unwrap() > 3.0);
    assert_eq!(
        profile.videos[0].episodes.len(),
        profile.videos[0].appearances.len()
    );

    let form = reqwest::multipart::Form::new().text("profile_id", profile.id.clone());
    let result = ok(app.search_form(form, &[]).await).await;
    assert!(result.faces_in_photo.is_empty() && result.face.is_none());
    let found: Vec<&str> = result
        .matches
        .iter()
        .map(|m| m.person.video_id.as_str())
        .collect();
    assert!(found.contains(&without.id.as_str()), "{found:?}");
    assert!(!found.contains(&faces.id.as_str()), "{found:?}");
    let unassigned = result
        .matches
        .iter()
        .find(|m| m.person.video_id == without.id)
        .unwrap();
    assert!(unassigned.profile.is_none());
    let assigned = result
        .matches
        .iter()
        .find(|m| m.person.video_id == with.id)
        .expect("its own person too");
    assert_eq!(assigned.profile.as_ref().unwrap().id, profile.id);

    // Make a profile from the unassigned person: 201, then 409 the second time.
    let create = |person: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url("/api/profiles"))
                .json(&serde_json::json!({ "person_id": person }))
                .send()
                .await
                .unwrap()
        }
    };
    let made = create(unassigned.person.id.clone()).await;
    assert_eq!(made.status(), 201);
    let made: Profile = made.json().await.unwrap();
    assert_eq!(made.videos.len(), 1);
    assert_eq!(made.videos[0].video_id, without.id);
    let crop = app
        .client
        .get(app.url(&made.crop_url))
        .send()
        .await
        .unwrap();
    assert_eq!(crop.status(), 200);
    let again = create(unassigned.person.id.clone()).await;
    assert_eq!(again.status(), 409);
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 2);

    // Bad bodies change nothing.
    let unknown = create(uuid::Uuid::now_v7().to_string()).await;
    assert_eq!(unknown.status(), 422);
    for (body, field) in [
        (serde_json::json!({ "person_id": 5 }), "person_id"),
        (serde_json::json!({}), "person_id"),
        (serde_json::json!({ "person_id": "x", "name": "y" }), "name"),
        (
            serde_json::json!({ "person_id": "not-a-uuid" }),
            "person_id",
        ),
    ] {
        let response = app
            .client
            .post(app.url("/api/profiles"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{body}");
        let error: ErrorBody = response.json().await.unwrap();
        assert!(error.fields.contains_key(field), "{body}: {error:?}");
    }
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 2);

    // A search by an unknown profile is refused.
    let form = reqwest::multipart::Form::new().text("profile_id", uuid::Uuid::now_v7().to_string());
    assert_eq!(app.search_form(form, &[]).await.status(), 422);
    app.stop().await;
}
