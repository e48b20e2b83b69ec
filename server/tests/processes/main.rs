//! Tests with real processes of the built binary. The scale-out tests (one
//! `serve --workers 0` and `worker` processes on one PostgreSQL database and shared storage)
//! need PostgreSQL: they are `#[ignore]`d, so a run without it lists them as ignored, and
//! scripts/test.sh's PostgreSQL pass runs them with `--include-ignored`. Crashes, shutdown
//! and fsck (`crash`, `fsck`) run in both passes.

mod clients;
mod crash;
mod fsck;
mod instance;
mod metrics;
#[path = "../support/one_pass.rs"]
mod one_pass;
#[path = "../support/s3_server.rs"]
mod s3;
mod segments;
mod shared_dir;
mod topology;

use app::model::{ProfilePage, Video, VideoStatus};
use std::collections::HashSet;
use std::time::Duration;
use topology::Topology;

const LIMIT: Duration = Duration::from_secs(240);

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it in its PostgreSQL pass (--include-ignored)"]
async fn two_worker_processes_share_the_queue_and_one_killed_mid_video_is_taken_over() {
    let mut topology = Topology::start().await;
    let names = [
        "carphone_pristine.mp4",
        "tree.avi",
        "Megamind.avi",
        "carphone_pristine.mp4",
        "tree.avi",
        "carphone_pristine.mp4",
    ];
    let created = topology.upload(&names).await;
    let mut finished = Vec::new();
    for video in &created {
        finished.push(topology.wait_final(&video.id, LIMIT).await);
    }
    for (name, video) in names.iter().zip(&finished) {
        let expected = match *name {
            "carphone_pristine.mp4" => (120, Some(1)),
            "tree.avi" => (0, Some(0)),
            _ => (365, video.people_count),
        };
        assert_eq!(video.status, VideoStatus::Done, "{name}: {:?}", video.error);
        assert_eq!(
            (video.faces_total, video.people_count),
            expected,
            "{name}: same counts as one process"
        );
    }
    let holders = topology.holders().await;
    assert!(
        holders.iter().all(|(_, attempts)| *attempts == 1),
        "each video processed once: {holders:?}"
    );
    let workers: std::collections::HashSet<_> = holders.iter().map(|(w, _)| w.clone()).collect();
    assert_eq!(
        workers.len(),
        2,
        "both worker processes took videos: {holders:?}"
    );

    // kill -9 the worker holding a video mid-run: the other one finishes it after the lease.
    let victim = topology.upload(&["Megamind.avi"]).await.remove(0);
    let holder = topology.wait_processing(&victim.id, LIMIT).await;
    topology.kill_worker_holding(&holder);
    let video = topology.wait_final(&victim.id, LIMIT).await;
    assert_eq!(
        (video.status, video.faces_total, video.frames_processed),
        (VideoStatus::Done, 365, 270)
    );
    let (final_holder, attempts) = topology.holder_of(&victim.id).await;
    assert_ne!(final_holder, holder, "finished elsewhere");
    assert_eq!(attempts, 2);
    topology.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it in its PostgreSQL pass (--include-ignored)"]
async fn four_copies_of_one_new_person_on_two_worker_processes_make_one_profile() {
    let topology = Topology::start().await;
    let form = reqwest::multipart::Form::new().text("create_profiles", "true");
    let created = topology
        .upload_with(&["carphone_pristine.mp4"; 4], form)
        .await;
    for video in &created {
        let video = topology.wait_final(&video.id, LIMIT).await;
        assert_eq!(video.status, VideoStatus::Done, "{:?}", video.error);
    }
    let page: ProfilePage = topology.get_json("/api/profiles?hidden=true").await;
    assert_eq!(page.total, 1, "one person, one profile: {page:?}");
    let videos: HashSet<&str> = page.items[0]
        .videos
        .iter()
        .map(|v| v.video_id.as_str())
        .collect();
    assert_eq!(
        videos,
        created
            .iter()
            .map(|v| v.id.as_str())
            .collect::<HashSet<_>>(),
        "the profile lists the four videos"
    );
    let holders = topology.holders().await;
    let workers: HashSet<_> = holders.iter().map(|(w, _)| w.clone()).collect();
    assert_eq!(workers.len(), 2, "both workers took copies: {holders:?}");
    topology.stop().await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it in its PostgreSQL pass (--include-ignored)"]
async fn killing_the_web_process_loses_no_answered_upload() {
    let mut topology = Topology::start().await;
    let created: Vec<Video> = topology
        .upload(&["carphone_pristine.mp4", "tree.avi", "carphone_pristine.mp4"])
        .await;
    topology.kill_web_and_restart().await;
    for video in &created {
        let video = topology.wait_final(&video.id, LIMIT).await;
        assert_eq!(video.status, VideoStatus::Done);
    }
    topology.stop().await;
}
