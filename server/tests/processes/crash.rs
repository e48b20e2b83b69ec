//! Crashes and restarts of one `facetally serve` process with real signals: `kill -9` during
//! uploads and during processing, SIGTERM with work in flight, and `facetally fsck`.
//! SQLite without FACETALLY_TEST_POSTGRES, a fresh PostgreSQL database with it.

use crate::instance::{sigterm, Instance};
use app::model::{Video, VideoStatus};
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(180);
/// What `serve` logs when requests were still open at the shutdown deadline.
const CUT: &str = "requests still open after the grace period are cut";

/// Counts of the shared videos (REFERENCE.md): faces and decoded frames.
fn expected(name: &str) -> (i64, i64) {
    match name {
        "carphone_pristine.mp4" => (120, 120),
        "tree.avi" => (0, 68),
        "Megamind.avi" => (365, 270),
        other => panic!("no reference for {other}"),
    }
}

fn assert_done(name: &str, video: &Video) {
    assert_eq!(video.status, VideoStatus::Done, "{name}: {:?}", video.error);
    assert_eq!(
        (video.faces_total, video.frames_processed),
        expected(name),
        "{name}: reference counts"
    );
}

/// Status, holder and attempts of a video straight from the database.
async fn row(instance: &Instance, id: &str) -> (String, Option<String>, i64, i64) {
    let db = instance.db().await;
    let row = sqlx::query_as(
        "SELECT status, worker_id, attempts, frames_processed FROM videos WHERE id = $1",
    )
    .bind(id)
    .fetch_one(db.pool())
    .await
    .unwrap();
    db.close().await;
    row
}

#[tokio::test]
async fn kill_9_during_uploads_keeps_every_answered_video_and_no_partial_file() {
    let started = Instant::now();
    let mut instance = Instance::new().await;
    instance.start().await;
    let names = ["carphone_pristine.mp4", "tree.avi", "carphone_pristine.mp4"];
    let mut answered = Vec::new();
    for name in names {
        answered.push((name, instance.upload(name).await));
    }
    let slow = instance.slow_upload("Megamind.avi").await;
    assert!(!instance.incoming_files().is_empty());
    instance.kill9();
    assert!(
        !instance.incoming_files().is_empty(),
        "the killed upload left its partial file"
    );
    let _ = slow.request.await;

    instance.start().await;
    assert!(
        instance.incoming_files().is_empty(),
        "partial upload removed at start: {:?}",
        instance.incoming_files()
    );
    for (name, video) in &answered {
        let video = instance.wait_final(&video.id, LIMIT).await;
        assert_done(name, &video);
    }
    let listed: Vec<Video> = instance
        .client
        .get(instance.url("/api/videos"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), answered.len(), "only answered uploads exist");
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!(
        (code, report["findings"].as_array().map(Vec::len)),
        (0, Some(0)),
        "{report:#}"
    );
    instance.sigterm().await;
    eprintln!(
        "kill -9 during uploads: {} ms",
        started.elapsed().as_millis()
    );
}

#[tokio::test]
async fn kill_9_during_processing_requeues_and_finishes_with_the_reference_counts() {
    let started = Instant::now();
    let mut instance = Instance::new().await;
    instance.start().await;
    let video = instance.upload("Megamind.avi").await;
    let running = instance.wait_frames(&video.id, LIMIT).await;
    instance.kill9();
    let (status, holder, attempts, _) = row(&instance, &video.id).await;
    assert_eq!(
        (status.as_str(), attempts),
        ("processing", 1),
        "killed mid-video at frame {}",
        running.frames_processed
    );
    assert!(holder.is_some());

    let restarted = Instant::now();
    instance.start().await;
    let video = instance.wait_final(&video.id, LIMIT).await;
    assert_done("Megamind.avi", &video);
    let (_, _, attempts, _) = row(&instance, &video.id).await;
    assert_eq!(attempts, 2, "processed again from the start once");
    if !instance.is_postgres() {
        assert!(
            instance
                .log()
                .contains("re-queued videos left processing by an earlier run"),
            "{}",
            instance.log_tail()
        );
    }
    eprintln!(
        "kill -9 during processing (frame {}): done {} ms after restart, {} ms in all",
        running.frames_processed,
        restarted.elapsed().as_millis(),
        started.elapsed().as_millis()
    );
    instance.sigterm().await;
}

#[tokio::test]
async fn sigterm_stops_in_time_requeues_the_running_video_and_cuts_slow_clients() {
    let mut instance = Instance::new().await;
    instance.start().await;
    let video = instance.upload("Megamind.avi").await;

    // A running job and an open SSE stream: neither may hold the process until the deadline.
    let events = instance.sse_client().await;
    let running = instance.wait_frames(&video.id, LIMIT).await;
    let (exit, took) = instance.sigterm().await;
    eprintln!(
        "SIGTERM with a job at frame {} and an SSE client: exited in {} ms",
        running.frames_processed,
        took.as_millis()
    );
    assert!(
        exit.success(),
        "graceful exit: {exit}\n{}",
        instance.log_tail()
    );
    assert!(took < Duration::from_secs(10), "exit took {took:?}");
    assert!(
        !instance.log().contains(CUT),
        "the SSE stream held the stop until the deadline\n{}",
        instance.log_tail()
    );
    assert!(
        !instance.log().contains("jobs did not stop in time"),
        "{}",
        instance.log_tail()
    );
    let streamed = tokio::time::timeout(Duration::from_secs(1), events)
        .await
        .expect("SSE stream ended")
        .unwrap();
    assert!(streamed > 0, "the SSE client had received events");
    assert_requeued(&instance, &video.id).await;

    // Again with a slow upload in flight: it is cut at the deadline.
    instance.start().await;
    instance.wait_frames(&video.id, LIMIT).await;
    let slow = instance.slow_upload("carphone_pristine.mp4").await;
    let (exit, took) = instance.sigterm().await;
    eprintln!(
        "SIGTERM with a job and a stalled upload: exited in {} ms",
        took.as_millis()
    );
    assert!(
        exit.success(),
        "graceful exit: {exit}\n{}",
        instance.log_tail()
    );
    assert!(took < Duration::from_secs(10), "exit took {took:?}");
    assert!(
        instance.log().contains(CUT),
        "the stalled upload was cut at the deadline\n{}",
        instance.log_tail()
    );
    let unanswered = tokio::time::timeout(Duration::from_secs(1), slow.request)
        .await
        .expect("the slow upload was cut");
    assert!(
        unanswered.unwrap().map_or(true, |r| r.status() != 201),
        "an incomplete upload is never answered 201"
    );
    assert_requeued(&instance, &video.id).await;

    instance.start().await;
    assert!(instance.incoming_files().is_empty());
    let video = instance.wait_final(&video.id, LIMIT).await;
    assert_done("Megamind.avi", &video);
    let listed: Vec<Video> = instance
        .client
        .get(instance.url("/api/videos"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1, "the cut upload created no video");
    let (_, took) = instance.sigterm().await;
    eprintln!("SIGTERM when idle: exited in {} ms", took.as_millis());
}

/// Right after the exit the video is `queued`, held by nobody, its counts cleared.
async fn assert_requeued(instance: &Instance, id: &str) {
    let (status, holder, _, frames) = row(instance, id).await;
    assert_eq!(
        (status.as_str(), holder, frames),
        ("queued", None, 0),
        "re-queued before exit\n{}",
        instance.log_tail()
    );
    assert!(
        instance.log().contains("re-queued at shutdown"),
        "{}",
        instance.log_tail()
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it in its PostgreSQL pass (--include-ignored)"]
async fn sigterm_of_a_worker_hands_its_video_to_another_worker_at_once() {
    let mut instance = Instance::new().await;
    assert!(
        instance.is_postgres(),
        "separate worker processes need FACETALLY_TEST_POSTGRES"
    );
    // A lease far longer than the test's limit: only an active re-queue can be this fast.
    instance.lease_secs = 60;
    instance.serve_workers = Some(0);
    instance.start().await;
    let mut first = instance.spawn_worker(1);
    let video = instance.upload("Megamind.avi").await;
    instance.wait_frames(&video.id, LIMIT).await;
    let mut second = instance.spawn_worker(2);
    tokio::time::sleep(Duration::from_secs(2)).await; // the second worker is up and idle

    let (exit, took) = sigterm(&mut first).await.expect("the worker stops");
    eprintln!(
        "SIGTERM of a worker mid-video: exited in {} ms",
        took.as_millis()
    );
    assert!(
        exit.success() && took < Duration::from_secs(10),
        "{exit} after {took:?}\n{}",
        instance.worker_log(1)
    );
    assert!(
        instance.worker_log(1).contains("re-queued at shutdown"),
        "{}",
        instance.worker_log(1)
    );
    let handed_over = Instant::now();
    loop {
        let (status, holder, attempts, _) = row(&instance, &video.id).await;
        if status == "processing" && attempts == 2 {
            assert!(
                holder.is_some_and(|h| h.contains(&format!("-{}-", second.id()))),
                "taken by the second worker"
            );
            break;
        }
        assert!(
            handed_over.elapsed() < Duration::from_secs(10),
            "not taken over at once: {status}\n{}",
            instance.worker_log(2)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "taken over by the other worker {} ms after the first one exited",
        handed_over.elapsed().as_millis()
    );
    let video = instance.wait_final(&video.id, LIMIT).await;
    assert_done("Megamind.avi", &video);
    sigterm(&mut second).await.expect("the second worker stops");
    instance.sigterm().await;
}
