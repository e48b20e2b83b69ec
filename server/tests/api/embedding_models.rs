//! Switching the embedding model: a server on SFace (a generated model of SFace's shape;
//! the real file is not on this machine) never compares its faces with those another
//! model made, and says how many it left out.

use crate::helpers::*;
use app::model::{PeoplePage, ProfilePage, Suggestions, Video, VideoStatus};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(120);

/// Processes carphone with profiles on and returns the video.
async fn carphone_with_profiles(app: &TestApp) -> Video {
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let created: Vec<Video> = app
        .upload(vec![("c.mp4".into(), bytes)], Some("true"))
        .await
        .json()
        .await
        .unwrap();
    let done = app.wait_final(&created[0].id, LIMIT).await;
    assert_eq!(done.status, VideoStatus::Done, "{:?}", done.error);
    assert_eq!(done.people_count, Some(1));
    done
}

/// The shared detector beside a generated SFace-shaped embedder.
fn sface_models() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shared = crate::one_pass::shared_dir().join("models");
    std::fs::copy(
        shared.join(vision::DETECTOR_MODEL_FILE),
        dir.path().join(vision::DETECTOR_MODEL_FILE),
    )
    .unwrap();
    let sface = dir.path().join(vision::EmbedderPreset::SFace.model_file());
    std::fs::write(sface, vision::testing::sface_shaped_model()).unwrap();
    dir
}

#[tokio::test]
async fn faces_of_another_model_are_never_compared_and_are_counted_as_left_out() {
    let first = spawn_app().await;
    let before = carphone_with_profiles(&first).await;
    let profiles: ProfilePage = first.get_json("/api/profiles").await;
    assert_eq!(profiles.total, 1);
    let old = profiles.items[0].id.clone();
    let (data_dir, database_url) = first.stop().await;

    // The same data on SFace: the same man again gets a profile of his own, because the
    // MobileFaceNet profile's vectors cannot be compared with SFace's.
    let models = sface_models();
    let mut vision = crate::one_pass::vision_args();
    vision.models_dir = Some(models.path().to_path_buf());
    vision.embedder = Some(vision::EmbedderPreset::SFace);
    let second = start(
        data_dir,
        database_url,
        AppOptions {
            vision: Some(vision),
            ..Default::default()
        },
    )
    .await;
    let after = carphone_with_profiles(&second).await;
    let people: PeoplePage = second.get_json("/api/people?limit=1000").await;
    let placed = |video: &str| {
        people
            .items
            .iter()
            .find(|p| p.video_id == video)
            .and_then(|p| p.profile_id.clone())
    };
    assert_eq!(placed(&before.id).as_deref(), Some(old.as_str()));
    let new = placed(&after.id).expect("a profile of its own");
    assert_ne!(new, old, "not matched across models");
    let profiles: ProfilePage = second.get_json("/api/profiles").await;
    assert_eq!(profiles.total, 2);

    // Suggestions on SFace compare SFace faces only, and say what they left out.
    let suggestions: Suggestions = second
        .get_json(&format!("/api/profiles/{new}/similar"))
        .await;
    assert!(
        suggestions.model.starts_with("sface:"),
        "{}",
        suggestions.model
    );
    assert_eq!(
        suggestions.skipped_other_model, 2,
        "the MobileFaceNet person and its profile's own face"
    );
    assert!(
        suggestions.profiles.iter().all(|p| p.profile.id != old),
        "the other model's profile is not suggested"
    );
    second.stop().await;
}
