//! Corrections to the automatic grouping: merge, move, split, hide, name search, suggestions,
//! the audit log, re-processing that keeps manual work, and one profile per person when
//! several videos of that person finish together.

mod concurrency;
mod listing;
mod merge;
mod moves;

use crate::helpers::*;
use app::model::{PeoplePage, Profile, ProfilePage, Video, VideoPerson};
use serde_json::Value;

/// faces.mp4 (four or five people) processed with profiles: one profile per person.
async fn faces_with_profiles(app: &TestApp) -> (Video, Vec<Profile>) {
    let bytes = std::fs::read(video("faces.mp4")).unwrap();
    let video = app.process("faces.mp4", bytes, true).await;
    let page: ProfilePage = app.get_json("/api/profiles?limit=100").await;
    assert!(
        (4..=5).contains(&page.total),
        "faces.mp4 has four or five people: {page:?}"
    );
    (video, page.items)
}

impl TestApp {
    /// The people in a profile's gallery.
    async fn gallery(&self, profile_id: &str) -> Vec<VideoPerson> {
        let page: PeoplePage = self
            .get_json(&format!("/api/profiles/{profile_id}/people"))
            .await;
        assert_eq!(page.total as usize, page.items.len());
        page.items
    }

    /// Sends a JSON body with `method` and returns the status and the body as JSON.
    async fn send_json(&self, method: reqwest::Method, path: &str, body: &str) -> (u16, Value) {
        let response = self
            .client
            .request(method, self.url(path))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, json)
    }

    /// `PUT /api/people/{id}/profile`.
    async fn assign(&self, person_id: &str, body: &str) -> (u16, Value) {
        self.send_json(
            reqwest::Method::PUT,
            &format!("/api/people/{person_id}/profile"),
            body,
        )
        .await
    }

    /// `POST /api/videos/{id}/reprocess` and waits for the run to end `done`.
    async fn reprocess(&self, video_id: &str) -> Video {
        let (status, body) = self
            .send_json(
                reqwest::Method::POST,
                &format!("/api/videos/{video_id}/reprocess"),
                "",
            )
            .await;
        assert_eq!(status, 202, "{body}");
        let video = self
            .wait_final(video_id, std::time::Duration::from_secs(300))
            .await;
        assert_eq!(video.status, app::model::VideoStatus::Done, "{video:?}");
        video
    }

    /// Every profile, hidden ones too.
    async fn all_profiles(&self) -> Vec<Profile> {
        let page: ProfilePage = self.get_json("/api/profiles?limit=100&hidden=true").await;
        page.items
    }
}
