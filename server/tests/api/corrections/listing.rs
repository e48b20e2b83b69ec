//! Hiding, name search, unassigned people, suggestions and the audit log.

use super::faces_with_profiles;
use crate::helpers::*;
use app::model::{AuditPage, PeoplePage, ProfilePage, Suggestions};
use serde_json::json;

async fn names(app: &TestApp, query: &str) -> Vec<String> {
    let page: ProfilePage = app.get_json(&format!("/api/profiles?{query}")).await;
    assert_eq!(page.total as usize, page.items.len(), "{query}: one page");
    let mut names: Vec<String> = page
        .items
        .into_iter()
        .map(|p| p.full_name.unwrap_or_default())
        .collect();
    names.sort();
    names
}

fn encoded(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

#[tokio::test]
async fn hidden_profiles_and_name_search_in_any_script() {
    let app = spawn_app().await;
    let (_, profiles) = faces_with_profiles(&app).await;
    let given = ["Ёлкин Пётр", "Smith John", "Иванова Мария", "Скидкин Ян"];
    for (profile, name) in profiles.iter().zip(given) {
        let response = app
            .patch_profile(&profile.id, json!({ "full_name": name }))
            .await;
        assert_eq!(response.status(), 200);
    }
    for (q, expected) in [
        ("елкин", vec!["Ёлкин Пётр"]),
        ("ПЁТР", vec!["Ёлкин Пётр"]),
        ("smi", vec!["Smith John"]),
        ("  JOHN ", vec!["Smith John"]),
        ("ова мар", vec!["Иванова Мария"]),
        ("%", vec![]),
        ("_", vec![]),
        ("нет такого", vec![]),
    ] {
        assert_eq!(
            names(&app, &format!("q={}", encoded(q))).await,
            expected,
            "q={q}"
        );
    }
    // Paged: the total counts every match, the page holds `limit`.
    let page: ProfilePage = app.get_json("/api/profiles?q=%D0%B8&limit=1").await;
    assert_eq!(page.items.len(), 1);
    assert!(page.total >= 2, "и is in several names: {page:?}");

    // Hide one: out of the listing and the search, unless asked for.
    let hidden = &profiles[1];
    let response = app.patch_profile(&hidden.id, json!({"hidden": true})).await;
    assert_eq!(response.status(), 200);
    let all: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(all.total as usize, profiles.len() - 1);
    assert!(all.items.iter().all(|p| p.id != hidden.id && !p.hidden));
    assert!(names(&app, "q=smith").await.is_empty());
    assert_eq!(names(&app, "q=smith&hidden=true").await, vec!["Smith John"]);
    let with_hidden: ProfilePage = app.get_json("/api/profiles?hidden=true").await;
    assert_eq!(with_hidden.total as usize, profiles.len());
    assert!(with_hidden
        .items
        .iter()
        .any(|p| p.id == hidden.id && p.hidden));

    for bad in ["hidden=maybe", "q=%00", "sort=name", "limit=0"] {
        let response = app
            .client
            .get(app.url(&format!("/api/profiles?{bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{bad}");
    }

    // Every change is in the log, newest first, with the values before and after.
    let log: AuditPage = app
        .get_json(&format!("/api/audit?profile_id={}", hidden.id))
        .await;
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.first(), Some(&"profile.hide"), "{log:?}");
    let edit = log
        .items
        .iter()
        .find(|e| e.action == "profile.edit")
        .expect("the edit");
    assert_eq!(edit.before.as_ref().unwrap()["full_name"], json!(null));
    assert_eq!(
        edit.after.as_ref().unwrap()["full_name"],
        json!("Smith John")
    );
    assert!(edit.client.starts_with("addr:"), "{}", edit.client);
}

#[tokio::test]
async fn unassigned_people_and_suggestions() {
    let app = spawn_app().await;
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let first = app.process("first.mp4", bytes.clone(), false).await;
    let second = app.process("second.mp4", bytes, true).await;
    let faces = std::fs::read(video("faces.mp4")).unwrap();
    app.process("faces.mp4", faces, true).await;
    let profiles = app.all_profiles().await;
    let carphone = profiles
        .iter()
        .find(|p| p.videos.iter().any(|v| v.video_id == second.id))
        .expect("the carphone profile");

    let unassigned: PeoplePage = app.get_json("/api/people?assigned=false").await;
    assert_eq!(unassigned.total, 1, "{unassigned:?}");
    assert_eq!(unassigned.items[0].video_id, first.id);
    let assigned: PeoplePage = app.get_json("/api/people?assigned=true&limit=2").await;
    assert_eq!(assigned.items.len(), 2);
    assert_eq!(assigned.total as usize, profiles.len());
    assert!(assigned.items.iter().all(|p| p.profile_id.is_some()));

    let suggestions: Suggestions = app
        .get_json(&format!("/api/profiles/{}/similar?limit=3", carphone.id))
        .await;
    assert_eq!(
        suggestions
            .people
            .first()
            .map(|p| p.person.video_id.as_str()),
        Some(first.id.as_str()),
        "the unassigned copy of the same clip comes first: {suggestions:?}"
    );
    assert!(suggestions.people[0].similarity >= suggestions.match_threshold);
    assert!(suggestions.profiles.len() <= 3);
    assert!(suggestions
        .profiles
        .iter()
        .all(|s| s.profile.id != carphone.id));
    assert!(suggestions
        .profiles
        .windows(2)
        .all(|w| w[0].similarity >= w[1].similarity));
    assert!(
        suggestions
            .profiles
            .iter()
            .all(|s| s.similarity < suggestions.match_threshold),
        "other people are below the threshold"
    );
    for bad in ["limit=0", "limit=101", "limit=x", "other=1"] {
        let response = app
            .client
            .get(app.url(&format!("/api/profiles/{}/similar?{bad}", carphone.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{bad}");
    }
    for bad in ["assigned=perhaps", "limit=-1", "offset=x"] {
        let response = app
            .client
            .get(app.url(&format!("/api/people?{bad}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{bad}");
    }
}

#[tokio::test]
async fn a_name_matching_many_profiles_is_counted_on_sqlite_and_estimated_on_postgres() {
    let app = spawn_app().await;
    let now = server::db::now_text();
    insert_profiles(&app, 1_500, |i| (format!("Тестов Иван {i}"), now.clone())).await;

    let page: ProfilePage = app
        .get_json(&format!("/api/profiles?q={}", encoded("тестов")))
        .await;
    assert_eq!(page.items.len(), 100);
    let postgres = app.database_url.starts_with("postgres");
    if postgres {
        assert!(page.total_is_estimate, "more than 1 000 matches: estimated");
        assert!(
            (1_001..=4_500).contains(&page.total),
            "a plausible estimate: {}",
            page.total
        );
    } else {
        assert_eq!((page.total, page.total_is_estimate), (1_500, false));
    }
    // A narrower search is counted exactly on both.
    let page: ProfilePage = app
        .get_json(&format!("/api/profiles?q={}", encoded("иван 149")))
        .await;
    assert_eq!(
        (page.total, page.total_is_estimate),
        (11, false),
        "149 and 1490–1499"
    );
    assert_eq!(page.items.len(), 11);
    app.stop().await;
}

#[tokio::test]
async fn a_hidden_profile_still_takes_its_person_from_new_videos() {
    let app = spawn_app().await;
    let clip = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let first = app.process("first.mp4", clip.clone(), true).await;
    let profile = app.all_profiles().await.remove(0);
    let response = app
        .patch_profile(&profile.id, json!({"hidden": true}))
        .await;
    assert_eq!(response.status(), 200);
    let second = app.process("second.mp4", clip, true).await;
    let profiles = app.all_profiles().await;
    assert_eq!(profiles.len(), 1, "no new profile: {profiles:?}");
    assert!(profiles[0].hidden);
    let videos: Vec<String> = app
        .gallery(&profile.id)
        .await
        .into_iter()
        .map(|p| p.video_id)
        .collect();
    assert_eq!(videos.len(), 2);
    assert!(videos.contains(&first.id) && videos.contains(&second.id));
    let listed: ProfilePage = app.get_json("/api/profiles").await;
    assert_eq!(listed.total, 0, "still out of the way");
}
