//! Moving people between profiles, "not this person", new profiles from a person, and
//! re-processing that keeps all of it.

use super::faces_with_profiles;
use crate::helpers::*;
use app::model::{PeoplePage, Profile, ProfilePage};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_person_moved_out_is_not_put_back_by_reprocessing_and_names_survive() {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let clip = app.process("carphone.mp4", bytes, true).await;
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1);
    let profile = &page.items[0];
    let named = app
        .patch_profile(
            &profile.id,
            json!({"full_name": "Сидоров Семён", "gender": "male", "birth_date": "1971-03-04"}),
        )
        .await;
    assert_eq!(named.status(), 200);
    let gallery = app.gallery(&profile.id).await;
    assert_eq!(gallery.len(), 1);
    let person = &gallery[0];
    assert_eq!(person.video_id, clip.id);

    // Not this person.
    let (status, moved) = app.assign(&person.id, r#"{"profile_id": null}"#).await;
    assert_eq!(status, 200, "{moved}");
    assert!(moved["profile_id"].is_null());
    assert!(app.gallery(&profile.id).await.is_empty());
    let unassigned: PeoplePage = app.get_json("/api/people?assigned=false").await;
    assert_eq!(unassigned.total, 1);
    assert_eq!(unassigned.items[0].id, person.id);

    // While queued, a second re-process is refused.
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/videos/{}/reprocess", clip.id),
            "",
        )
        .await;
    assert_eq!(status, 202);
    let (status, conflict) = app
        .send_json(
            Method::POST,
            &format!("/api/videos/{}/reprocess", clip.id),
            "",
        )
        .await;
    assert_eq!(status, 409, "{conflict}");
    app.wait_final(&clip.id, std::time::Duration::from_secs(300))
        .await;
    // And again, now that it is done: still not put back.
    app.reprocess(&clip.id).await;

    let profiles = app.all_profiles().await;
    assert_eq!(profiles.len(), 1, "no new profile either: {profiles:?}");
    let kept = &profiles[0];
    assert_eq!(kept.id, profile.id);
    assert_eq!(
        (kept.full_name.as_deref(), kept.birth_date.as_deref()),
        (Some("Сидоров Семён"), Some("1971-03-04"))
    );
    assert!(
        app.gallery(&profile.id).await.is_empty(),
        "the re-processed person stays out of the profile it was moved out of"
    );
    let unassigned: PeoplePage = app.get_json("/api/people?assigned=false").await;
    assert_eq!(unassigned.total, 1, "{unassigned:?}");
    assert_eq!(unassigned.items[0].video_id, clip.id);
}

#[tokio::test]
async fn manual_moves_and_new_profiles_survive_reprocessing() {
    let app = spawn_app().await;
    let (faces, profiles) = faces_with_profiles(&app).await;
    let (target, source) = (&profiles[0], &profiles[1]);
    let moved = app.gallery(&source.id).await.remove(0);

    let (status, body) = app
        .assign(&moved.id, &json!({"profile_id": target.id}).to_string())
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["profile_id"], json!(target.id));
    assert_eq!(app.gallery(&target.id).await.len(), 2);
    assert!(app.gallery(&source.id).await.is_empty());

    // A person of a third profile becomes a profile of its own.
    let third = &profiles[2];
    let split = app.gallery(&third.id).await.remove(0);
    let response = app
        .client
        .post(app.url(&format!("/api/people/{}/profile", split.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let own: Profile = response.json().await.unwrap();
    assert_ne!(own.id, third.id);
    let own_gallery = app.gallery(&own.id).await;
    assert_eq!(own_gallery.len(), 1);
    assert_eq!(own_gallery[0].id, split.id);

    let before: Vec<(String, usize)> = galleries(&app).await;
    app.reprocess(&faces.id).await;
    let after = galleries(&app).await;
    assert_eq!(
        after, before,
        "every profile holds as many people of the video as before"
    );
    assert_eq!(app.gallery(&target.id).await.len(), 2, "the move is kept");
}

/// Each profile's id and gallery size, sorted by id.
async fn galleries(app: &TestApp) -> Vec<(String, usize)> {
    let mut sizes = Vec::new();
    for profile in app.all_profiles().await {
        let size = app.gallery(&profile.id).await.len();
        sizes.push((profile.id, size));
    }
    sizes.sort();
    sizes
}

#[tokio::test]
async fn bad_moves_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let (_, profiles) = faces_with_profiles(&app).await;
    let person = app.gallery(&profiles[0].id).await.remove(0);
    let unknown = uuid::Uuid::now_v7().to_string();
    for (body, status, field) in [
        (
            json!({"profile_id": unknown}).to_string(),
            422,
            Some("profile_id"),
        ),
        (
            json!({"profile_id": "nobody"}).to_string(),
            422,
            Some("profile_id"),
        ),
        (
            json!({"profile_id": 7}).to_string(),
            422,
            Some("profile_id"),
        ),
        (json!({}).to_string(), 422, Some("profile_id")),
        (
            json!({"profile_id": null, "why": "x"}).to_string(),
            422,
            Some("why"),
        ),
        ("[]".to_owned(), 422, Some("profile_id")),
        ("{".to_owned(), 400, None),
    ] {
        let (got, error) = app.assign(&person.id, &body).await;
        assert_eq!(got, status, "{body}: {error}");
        if let Some(field) = field {
            assert!(error["fields"][field].is_string(), "{body}: {error}");
        }
    }
    let (got, _) = app
        .assign(&unknown, &json!({"profile_id": null}).to_string())
        .await;
    assert_eq!(got, 404, "an unknown person");
    let (got, _) = app.assign("not-a-uuid", r#"{"profile_id": null}"#).await;
    assert_eq!(got, 400);
    let response = app
        .client
        .post(app.url(&format!("/api/people/{unknown}/profile")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        app.gallery(&profiles[0].id).await,
        vec![person],
        "nothing moved"
    );
    assert_eq!(app.all_profiles().await.len(), profiles.len());
}
