//! One long video on two worker processes: each takes segments, and a `kill -9` of the one
//! running a segment (not the one coordinating the video) runs that segment again, alone,
//! with the one-pass counts and people at the end. PostgreSQL pass only.

use crate::one_pass::one_pass;
use crate::topology::Topology;
use app::model::VideoStatus;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(300);

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it in its PostgreSQL pass (--include-ignored)"]
async fn kill_9_of_a_worker_running_a_segment_runs_that_segment_again_only() {
    let mut topology = Topology::start_segmented(2, 10.0).await;
    let reference = tokio::spawn(one_pass("vtest.avi"));
    let id = topology.upload(&["vtest.avi"]).await.remove(0).id;

    // A segment running on the worker that does not coordinate the video.
    let deadline = Instant::now() + LIMIT;
    let (victim, idx) = loop {
        let (segments, holder) = topology.segments_of(&id).await;
        let other = segments.iter().find(|(_, status, worker, _)| {
            status == "running" && worker.is_some() && *worker != holder
        });
        if let Some((idx, _, Some(worker), _)) = other {
            break (worker.clone(), *idx);
        }
        assert!(
            Instant::now() < deadline,
            "no segment on a second worker: {segments:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    tokio::time::sleep(Duration::from_millis(500)).await; // a little way into the segment
    topology.kill_worker_holding(&victim);

    // Attempts per segment, as seen until the rows go with the video's end.
    let mut attempts: BTreeMap<i64, i64> = BTreeMap::new();
    let video = loop {
        let (segments, _) = topology.segments_of(&id).await;
        for (idx, _, _, n) in segments {
            let seen = attempts.entry(idx).or_default();
            *seen = (*seen).max(n);
        }
        let video: app::model::Video = topology.get_json(&format!("/api/videos/{id}")).await;
        if video.status.is_final() {
            break video;
        }
        assert!(Instant::now() < deadline, "not done in time: {video:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(video.status, VideoStatus::Done, "{:?}", video.error);
    assert_eq!(video.segments, Some(8));
    assert_eq!(attempts.len(), 8, "{attempts:?}");
    for (segment, n) in &attempts {
        let expected = if *segment == idx { 2 } else { 1 };
        assert_eq!(
            *n, expected,
            "segment {segment} runs: {attempts:?} (killed in {idx})"
        );
    }
    let (totals, people) = reference.await.unwrap();
    assert_eq!(
        (
            video.frames_processed,
            video.faces_total,
            video.max_faces_in_frame,
            video.frames_with_faces
        ),
        (
            totals.frames_processed,
            totals.faces_total,
            totals.max_faces_in_frame,
            totals.frames_with_faces
        ),
        "the one-pass counts"
    );
    assert_eq!(
        (video.frames_processed, video.faces_total),
        (795, 293),
        "REFERENCE.md"
    );
    assert_eq!(video.people_count, Some(people), "the one-pass people");
    let (_, attempts_of_video) = topology.holder_of(&id).await;
    assert_eq!(attempts_of_video, 1, "the video itself was claimed once");
    topology.stop().await;
}
