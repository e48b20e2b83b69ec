//! Profile editing over REST: every validation rule, accepted and rejected, changes nothing
//! when refused; listing, pagination and deletion.

use crate::helpers::*;
use app::model::{ErrorBody, Profile, ProfilePage};
use serde_json::json;
use std::time::Duration;

/// An app with one profile, made by processing carphone_pristine.mp4 with profiles on.
async fn app_with_profile() -> (TestApp, Profile) {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let created: Vec<app::model::Video> = app
        .upload(vec![("c.mp4".into(), bytes)], Some("true"))
        .await
        .json()
        .await
        .unwrap();
    app.wait_final(&created[0].id, Duration::from_secs(120))
        .await;
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 1);
    let profile = page.items.into_iter().next().unwrap();
    (app, profile)
}

#[tokio::test]
async fn valid_edits_are_saved_normalised_and_null_clears() {
    let (app, profile) = app_with_profile().await;
    assert_eq!(
        (
            profile.full_name.as_deref(),
            profile.gender,
            profile.birth_date.as_deref()
        ),
        (None, None, None)
    );
    for (body, name, gender, birth) in [
        (
            json!({"full_name": "  Иванов   Иван  Иванович "}),
            Some("Иванов Иван Иванович"),
            None,
            None,
        ),
        (
            json!({"gender": "male", "birth_date": "1985-04-12"}),
            Some("Иванов Иван Иванович"),
            Some("male"),
            Some("1985-04-12"),
        ),
        (
            json!({"full_name": "Петрова Анна-Мария"}),
            Some("Петрова Анна-Мария"),
            Some("male"),
            Some("1985-04-12"),
        ),
        (
            json!({"full_name": "O'Neil Shaquille", "gender": "female"}),
            Some("O'Neil Shaquille"),
            Some("female"),
            Some("1985-04-12"),
        ),
        (
            json!({"birth_date": "2000-02-29"}),
            Some("O'Neil Shaquille"),
            Some("female"),
            Some("2000-02-29"),
        ),
        (
            json!({"birth_date": "1900-01-01"}),
            Some("O'Neil Shaquille"),
            Some("female"),
            Some("1900-01-01"),
        ),
        (
            json!({"gender": null, "birth_date": null}),
            Some("O'Neil Shaquille"),
            None,
            None,
        ),
        (json!({}), Some("O'Neil Shaquille"), None, None),
    ] {
        let response = app.patch_profile(&profile.id, body.clone()).await;
        assert_eq!(response.status(), 200, "{body}");
        let saved: Profile = response.json().await.unwrap();
        let got = (
            saved.full_name.as_deref(),
            saved.gender.map(|g| g.as_str()),
            saved.birth_date.as_deref(),
        );
        assert_eq!(got, (name, gender, birth), "{body}");
        let reread: Profile = app.get_json(&format!("/api/profiles/{}", profile.id)).await;
        assert_eq!(reread, saved, "{body}: persisted");
    }
    app.stop().await;
}

#[tokio::test]
async fn invalid_edits_get_422_per_field_and_change_nothing() {
    let (app, profile) = app_with_profile().await;
    let ok = app
        .patch_profile(
            &profile.id,
            json!({"full_name": "Smith John", "gender": "male", "birth_date": "1990-01-02"}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    let before: Profile = app.get_json(&format!("/api/profiles/{}", profile.id)).await;
    for (body, field, mentions) in [
        (json!({"full_name": "Madonna"}), "full_name", "2 or 3 words"),
        (json!({"full_name": "A B C D"}), "full_name", "2 or 3 words"),
        (json!({"full_name": "Smith J0hn"}), "full_name", "digits"),
        (json!({"full_name": "Smith John!"}), "full_name", "letters"),
        (
            json!({"full_name": "Smith -John"}),
            "full_name",
            "between letters",
        ),
        (
            json!({"full_name": format!("Smith {}", "a".repeat(51))}),
            "full_name",
            "50",
        ),
        (
            json!({"full_name": ["Smith", "John"]}),
            "full_name",
            "string",
        ),
        (json!({"gender": "other"}), "gender", "male"),
        (json!({"gender": "Male"}), "gender", "male"),
        (json!({"gender": true}), "gender", "string"),
        (
            json!({"birth_date": "2023-02-30"}),
            "birth_date",
            "real calendar date",
        ),
        (json!({"birth_date": "1899-12-31"}), "birth_date", "1900"),
        (json!({"birth_date": "2999-01-01"}), "birth_date", "future"),
        (
            json!({"birth_date": "12.04.1985"}),
            "birth_date",
            "YYYY-MM-DD",
        ),
        (json!({"birth_date": 19850412}), "birth_date", "string"),
        (json!({"age": 40}), "age", "unknown field"),
        // One bad field refuses the whole change.
        (
            json!({"full_name": "Doe Jane", "birth_date": "2023-02-30"}),
            "birth_date",
            "real calendar date",
        ),
    ] {
        let response = app.patch_profile(&profile.id, body.clone()).await;
        assert_eq!(response.status(), 422, "{body}");
        let error: ErrorBody = response.json().await.unwrap();
        assert!(
            error
                .fields
                .get(field)
                .is_some_and(|m| m.contains(mentions)),
            "{body}: {error:?}"
        );
        let after: Profile = app.get_json(&format!("/api/profiles/{}", profile.id)).await;
        assert_eq!(after, before, "{body} changed nothing");
    }
    let malformed = app
        .client
        .patch(app.url(&format!("/api/profiles/{}", profile.id)))
        .header("content-type", "application/json")
        .body("{\"full_name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let not_object = app.patch_profile(&profile.id, json!("Smith John")).await;
    assert_eq!(not_object.status(), 422);
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_profile_removes_it_and_its_crop() {
    let (app, profile) = app_with_profile().await;
    let crop_files = || {
        app.stored_files()
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("/profiles/"))
            .count()
    };
    assert_eq!(crop_files(), 1);
    let response = app
        .client
        .delete(app.url(&format!("/api/profiles/{}", profile.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(crop_files(), 0, "crop deleted from storage");
    for path in [
        format!("/api/profiles/{}", profile.id),
        profile.crop_url.clone(),
    ] {
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
    let again = app
        .client
        .delete(app.url(&format!("/api/profiles/{}", profile.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    let patch = app
        .patch_profile(&profile.id, json!({"gender": "male"}))
        .await;
    assert_eq!(patch.status(), 404);
    let page: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(page.total, 0);
    app.stop().await;
}

#[tokio::test]
async fn listing_validates_limit_and_offset() {
    let (app, _profile) = app_with_profile().await;
    let page: ProfilePage = app.get_json("/api/profiles?limit=1&offset=0").await;
    assert_eq!((page.items.len(), page.total), (1, 1));
    let page: ProfilePage = app.get_json("/api/profiles?offset=1").await;
    assert_eq!((page.items.len(), page.total), (0, 1));
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
    ] {
        let response = app
            .client
            .get(app.url(&format!("/api/profiles?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{query}");
        let error: ErrorBody = response.json().await.unwrap();
        assert!(error.fields.contains_key(field), "{query}: {error:?}");
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_of_many_profiles_are_ordered_counted_and_never_repeat() {
    let (app, first) = app_with_profile().await;
    // Ten per creation time: ties are broken by id.
    let mut all = insert_profiles(&app, 260, |i| {
        let created = format!("2026-01-01T00:{:02}:{:02}.000000Z", i / 600, i / 10 % 60);
        (format!("Страницын Пётр {i}"), created)
    })
    .await;
    all.push(first.id.clone());
    for limit in [25usize, 7, 100] {
        let mut seen: Vec<Profile> = Vec::new();
        for offset in (0..).step_by(limit) {
            let page: ProfilePage = app
                .get_json(&format!("/api/profiles?limit={limit}&offset={offset}"))
                .await;
            assert_eq!(page.total, 261, "limit {limit}, offset {offset}");
            assert!(!page.total_is_estimate);
            if page.items.is_empty() {
                assert!(offset >= 261, "an empty page only past the end");
                break;
            }
            assert!(page.items.len() <= limit);
            seen.extend(page.items);
        }
        let ids: Vec<&str> = seen.iter().map(|p| p.id.as_str()).collect();
        let unique: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "limit {limit}: no profile twice");
        let mut expected: Vec<&str> = all.iter().map(String::as_str).collect();
        expected.sort_unstable();
        let mut got = ids.clone();
        got.sort_unstable();
        assert_eq!(got, expected, "limit {limit}: every profile once");
        // Newest first; equal creation times by id, descending.
        let keys: Vec<(&str, &str)> = seen
            .iter()
            .map(|p| (p.created_at.as_str(), p.id.as_str()))
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] > w[1]),
            "limit {limit}: ordered by (created_at, id) descending"
        );
        assert_eq!(ids[0], first.id, "the processed profile is the newest");
    }
    app.stop().await;
}
