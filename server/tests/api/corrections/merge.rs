//! Merging profiles: fields, galleries, deleted sources and crops; refusals change nothing.

use super::faces_with_profiles;
use crate::helpers::*;
use app::model::Profile;
use app::validate::Gender;
use reqwest::Method;
use serde_json::json;

async fn merge(app: &TestApp, target: &str, body: &str) -> (u16, serde_json::Value) {
    app.send_json(Method::POST, &format!("/api/profiles/{target}/merge"), body)
        .await
}

#[tokio::test]
async fn merge_keeps_the_targets_fields_fills_empty_ones_and_joins_galleries() {
    let app = spawn_app().await;
    let (_, profiles) = faces_with_profiles(&app).await;
    let (target, first, second) = (&profiles[0], &profiles[1], &profiles[2]);
    for (profile, body) in [
        (target, json!({"full_name": "Иванов Иван"})),
        (first, json!({"full_name": "Петров Пётр", "gender": "male"})),
        (
            second,
            json!({"gender": "female", "birth_date": "1990-05-06"}),
        ),
    ] {
        assert_eq!(app.patch_profile(&profile.id, body).await.status(), 200);
    }
    let people_before: usize = [target, first, second].iter().map(|p| p.videos.len()).sum();
    assert_eq!(people_before, 3);

    let (status, body) = merge(
        &app,
        &target.id,
        &json!({"profiles": [first.id, second.id]}).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let merged: Profile = serde_json::from_value(body).unwrap();
    assert_eq!(merged.id, target.id);
    assert_eq!(merged.full_name.as_deref(), Some("Иванов Иван"), "kept");
    assert_eq!(
        merged.gender,
        Some(Gender::Male),
        "from the first source that has one"
    );
    assert_eq!(merged.birth_date.as_deref(), Some("1990-05-06"));
    let gallery = app.gallery(&target.id).await;
    assert_eq!(gallery.len(), 3, "the galleries are joined: {gallery:?}");
    assert!(gallery
        .iter()
        .all(|p| p.profile_id.as_deref() == Some(target.id.as_str())));

    for source in [first, second] {
        let response = app
            .client
            .get(app.url(&format!("/api/profiles/{}", source.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "the source is deleted");
        assert!(
            app.stored_files()
                .iter()
                .all(|f| !f.to_string_lossy().contains(&source.id)),
            "and its crop"
        );
    }
    assert_eq!(app.all_profiles().await.len(), profiles.len() - 2);

    let log: app::model::AuditPage = app
        .get_json(&format!("/api/audit?profile_id={}", first.id))
        .await;
    assert!(
        log.items.iter().any(|e| e.action == "profile.merge"),
        "the merge is in the source's history: {log:?}"
    );
}

#[tokio::test]
async fn merge_refusals_are_422_or_404_and_change_nothing() {
    let app = spawn_app().await;
    let (_, profiles) = faces_with_profiles(&app).await;
    let (target, other) = (&profiles[0], &profiles[1]);
    let unknown = uuid::Uuid::now_v7().to_string();
    let before = app.all_profiles().await;
    for (body, status, field) in [
        (json!({"profiles": []}).to_string(), 422, Some("profiles")),
        (
            json!({"profiles": [target.id]}).to_string(),
            422,
            Some("profiles"),
        ),
        (
            json!({"profiles": [unknown]}).to_string(),
            422,
            Some("profiles"),
        ),
        // Atomic: a known source next to an unknown one is not merged either.
        (
            json!({"profiles": [other.id, unknown]}).to_string(),
            422,
            Some("profiles"),
        ),
        (
            json!({"profiles": ["not-a-uuid"]}).to_string(),
            422,
            Some("profiles"),
        ),
        (
            json!({"profiles": other.id}).to_string(),
            422,
            Some("profiles"),
        ),
        (json!({}).to_string(), 422, Some("profiles")),
        (
            json!({"profiles": [other.id], "force": true}).to_string(),
            422,
            Some("force"),
        ),
        ("{not json".to_owned(), 400, None),
    ] {
        let (got, error) = merge(&app, &target.id, &body).await;
        assert_eq!(got, status, "{body}: {error}");
        if let Some(field) = field {
            assert!(
                error["fields"][field].is_string(),
                "{body}: a message for {field}: {error}"
            );
        }
    }
    let (got, _) = merge(&app, &unknown, &json!({"profiles": [other.id]}).to_string()).await;
    assert_eq!(got, 404, "an unknown target");
    assert_eq!(app.all_profiles().await, before, "nothing changed");
}

#[tokio::test]
async fn merged_then_moved_out_then_both_reprocessed_keeps_names_and_does_not_remerge() {
    let app = spawn_app().await;
    let clip = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let carphone = app.process("carphone.mp4", clip, true).await;
    let faces = std::fs::read(video("faces.mp4")).unwrap();
    let faces = app.process("faces.mp4", faces, true).await;
    let profiles = app.all_profiles().await;
    let in_video = |id: &str| {
        profiles
            .iter()
            .find(|p| p.videos.iter().any(|v| v.video_id == id))
            .cloned()
            .unwrap()
    };
    let (target, source) = (in_video(&faces.id), in_video(&carphone.id));
    let response = app
        .patch_profile(&target.id, json!({"full_name": "Кузнецова Ольга"}))
        .await;
    assert_eq!(response.status(), 200);
    let (status, body) = merge(
        &app,
        &target.id,
        &json!({ "profiles": [source.id] }).to_string(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let gallery = app.gallery(&target.id).await;
    assert_eq!(gallery.len(), 2);
    let crop = format!("/api/profiles/{}/crop", source.id);
    let response = app.client.get(app.url(&crop)).send().await.unwrap();
    assert_eq!(response.status(), 404, "the source's crop is gone");

    // The carphone person was not her after all.
    let wrong = gallery.iter().find(|p| p.video_id == carphone.id).unwrap();
    let (status, body) = app.assign(&wrong.id, r#"{"profile_id": null}"#).await;
    assert_eq!(status, 200, "{body}");

    app.reprocess(&carphone.id).await;
    app.reprocess(&faces.id).await;
    let kept: Profile = app.get_json(&format!("/api/profiles/{}", target.id)).await;
    assert_eq!(kept.full_name.as_deref(), Some("Кузнецова Ольга"));
    let gallery = app.gallery(&target.id).await;
    assert_eq!(
        gallery
            .iter()
            .map(|p| p.video_id.as_str())
            .collect::<Vec<_>>(),
        vec![faces.id.as_str()],
        "her own person is back, the carphone person is not re-merged"
    );
    assert_eq!(
        app.all_profiles().await.len(),
        profiles.len() - 1,
        "re-processing made no new profiles"
    );
}
