//! Every way out of a job ends in a definite state, proven with faults injected into the job
//! of one video: a database error reading its storage key or writing its result is retried
//! (the video is done), a panic fails it keeping the counts stored so far, and a cancel while
//! its people are about to be stored leaves no people and no profiles.

use crate::helpers::*;
use app::model::{PeoplePage, ProfilePage, Video, VideoStatus};
use server::jobs::{Fault, Faults};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(180);

/// Uploads `name` on an app that takes no jobs, then restarts it on one job slot with
/// `fault` in that video's job; returns the running app and the video.
async fn with_fault(name: &str, profiles: bool, fault: Fault) -> (TestApp, Faults, Video) {
    let idle = spawn_app_with(AppOptions {
        workers: 0,
        ..Default::default()
    })
    .await;
    let bytes = std::fs::read(video(name)).unwrap();
    let flag = if profiles { "true" } else { "false" };
    let created: Vec<Video> = idle
        .upload(vec![(name.into(), bytes)], Some(flag))
        .await
        .json()
        .await
        .unwrap();
    let (data_dir, database_url) = idle.stop().await;
    let faults = Faults::default();
    faults.inject(&created[0].id, fault);
    let options = AppOptions {
        workers: 1,
        faults: faults.clone(),
        ..Default::default()
    };
    let app = start(data_dir, database_url, options).await;
    (app, faults, created.into_iter().next().unwrap())
}

#[tokio::test]
async fn database_errors_reading_the_file_key_or_writing_the_result_are_retried() {
    for fault in [Fault::StorageKeyReadFails(2), Fault::FinalWriteFails(3)] {
        let (app, _, video) = with_fault("carphone_pristine.mp4", false, fault).await;
        let done = app.wait_final(&video.id, LIMIT).await;
        assert_eq!(
            done.status,
            VideoStatus::Done,
            "{fault:?}: {:?}",
            done.error
        );
        assert_eq!(
            (done.frames_processed, done.faces_total),
            (120, 120),
            "{fault:?}"
        );
        app.stop().await;
    }
}

#[tokio::test]
async fn a_storage_key_that_cannot_be_read_for_long_gives_the_video_back_and_it_runs_again() {
    // Five reads fail (the first and four retries over 7.5 s): the video goes back to the
    // queue, is claimed again, and the next read works.
    let fault = Fault::StorageKeyReadFails(6);
    let (app, _, video) = with_fault("carphone_pristine.mp4", false, fault).await;
    let done = app.wait_final(&video.id, LIMIT).await;
    assert_eq!(done.status, VideoStatus::Done, "{:?}", done.error);
    assert_eq!(done.faces_total, 120);
    app.stop().await;
}

#[tokio::test]
async fn a_panic_fails_the_video_and_keeps_the_counts_stored_so_far() {
    let fault = Fault::PanicAfterFrames(150);
    let (app, _, video) = with_fault("Megamind.avi", false, fault).await;
    let failed = app.wait_final(&video.id, LIMIT).await;
    assert_eq!(failed.status, VideoStatus::Failed);
    let error = failed.error.clone().unwrap_or_default();
    assert!(error.contains("internal error"), "{error}");
    assert!(
        !error.contains("injected"),
        "no internals for the operator: {error}"
    );
    assert!(
        failed.frames_processed > 0 && failed.frames_processed <= 150,
        "the counts last stored, not zeros: {failed:?}"
    );
    assert!(failed.faces_total > 0, "{failed:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_cancel_while_people_are_about_to_be_stored_leaves_no_people() {
    let fault = Fault::WaitBeforePeople(Duration::from_secs(5));
    let (app, faults, video) = with_fault("carphone_pristine.mp4", true, fault).await;
    let deadline = tokio::time::Instant::now() + LIMIT;
    while !faults.is_waiting(&video.id) {
        assert!(tokio::time::Instant::now() < deadline, "never scanned");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cancel = app
        .client
        .post(app.url(&format!("/api/videos/{}/cancel", video.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), 200);
    let ended = app.wait_final(&video.id, LIMIT).await;
    assert_eq!(ended.status, VideoStatus::Cancelled);
    let people: PeoplePage = app.get_json("/api/people?limit=1000").await;
    assert!(people.items.is_empty(), "no people: {people:?}");
    let profiles: ProfilePage = app.get_json("/api/profiles?hidden=true").await;
    assert_eq!(profiles.total, 0, "no profiles from a cancelled video");
    app.stop().await;
}
