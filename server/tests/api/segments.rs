//! One long video on every job slot: cut into time segments, merged into exactly the counts
//! people and timeline of one pass; cancel stops every segment.

use crate::helpers::*;
use crate::metrics::{observations, scrape_until, value};
use crate::timeline::checked_timeline;
use app::model::{PeoplePage, Video, VideoStatus, VideoTimeline};
use futures::StreamExt;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(300);

fn counts(v: &Video) -> (i64, Option<i64>, i64, i64, i64, Option<i64>) {
    (
        v.frames_processed,
        v.frames_total,
        v.faces_total,
        v.max_faces_in_frame,
        v.frames_with_faces,
        v.people_count,
    )
}

/// Each video's people as (first second, last second) of their episodes, in order.
async fn people_of(app: &TestApp, video: &str) -> Vec<Vec<(String, String)>> {
    let page: PeoplePage = app.get_json("/api/people?limit=1000").await;
    let mut people: Vec<Vec<(String, String)>> = page
        .items
        .iter()
        .filter(|p| p.video_id == video)
        .map(|p| {
            p.episodes
                .iter()
                .map(|e| (format!("{:.3}", e.start_s), format!("{:.3}", e.end_s)))
                .collect()
        })
        .collect();
    people.sort();
    people
}

/// One test for everything a cut video must share with its one pass, since each upload costs
/// real seconds of detection: counts, people, the timeline and face boxes, and the frames
/// `/metrics` counted (each frame once, not the pre-roll and run-on frames around a segment).
/// That a one pass equals a direct scan is `jobs.rs`'s test.
#[tokio::test]
async fn segmented_videos_have_exactly_the_counts_people_and_timeline_of_one_pass() {
    let (segmented, single) = segmented_and_single().await;
    // faces.mp4 (9.6 s) and Megamind.avi (11.3 s) in 4 segments; tree.avi's timestamps
    // cannot be trusted (444 frames claimed, 68 real): one pass.
    let names = ["faces.mp4", "Megamind.avi", "tree.avi"];
    let cut = [Some(4), Some(4), Some(1)];
    let a = segmented.upload_shared(&names).await;
    let b = single.upload_shared(&names).await;
    let (mut frames, mut faces) = (0, 0);
    for (i, name) in names.iter().enumerate() {
        let x = segmented.wait_final(&a[i].id, LIMIT).await;
        let y = single.wait_final(&b[i].id, LIMIT).await;
        assert_eq!(x.status, VideoStatus::Done, "{name}: {:?}", x.error);
        assert_eq!(y.status, VideoStatus::Done, "{name}: {:?}", y.error);
        assert_eq!(x.segments, cut[i], "{name}: segments");
        assert_eq!(y.segments, Some(1), "{name}: one pass");
        assert_eq!(counts(&x), counts(&y), "{name}: counts");
        assert_eq!(
            people_of(&segmented, &x.id).await,
            people_of(&single, &y.id).await,
            "{name}: people and their episodes"
        );
        // tree.avi has no face: no timeline to compare (and no sparkline buckets).
        if x.faces_total > 0 {
            let (tx, bx) = checked_timeline(&segmented, &x).await;
            let (ty, by) = checked_timeline(&single, &y).await;
            assert_eq!(tx.faces_per_second, ty.faces_per_second, "{name}");
            assert_eq!(bx, by, "{name}: the same boxes with the same people");
            let episodes = |t: &VideoTimeline| -> Vec<usize> {
                t.people.iter().map(|p| p.episodes.len()).collect()
            };
            assert_eq!(episodes(&tx), episodes(&ty), "{name}: lanes");
        }
        (frames, faces) = (frames + x.frames_processed, faces + x.faces_total);
    }
    let done = [("status", "done")];
    let metrics = scrape_until(&segmented, |s| {
        observations(s, "facetally_job_duration_seconds", &done) == names.len() as f64
    })
    .await;
    assert_eq!(
        value(&metrics, "facetally_frames_processed_total", &[]),
        frames as f64
    );
    assert_eq!(
        value(&metrics, "facetally_faces_found_total", &[]),
        faces as f64
    );
    segmented.stop().await;
    single.stop().await;
}

#[tokio::test]
async fn cancel_stops_every_segment_within_a_second() {
    let app = spawn_app_with(AppOptions {
        workers: 2,
        segment_secs: 10.0,
        ..Default::default()
    })
    .await;
    let mut events = app.events().await;
    let id = app.upload_shared(&["vtest.avi"]).await[0].id.clone();
    loop {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .unwrap()
            .unwrap();
        if video.id == id && video.frames_processed > 50 {
            break;
        }
    }
    // Both slots are busy with vtest's segments: these wait in the queue.
    let next = app
        .upload_shared(&["carphone_pristine.mp4", "carphone_pristine.mp4"])
        .await;
    for n in &next {
        assert_eq!(app.get(&n.id).await.status, VideoStatus::Queued);
    }
    let cancelled_at = Instant::now();
    let response = app
        .client
        .post(app.url(&format!("/api/videos/{id}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let ids: Vec<&str> = next.iter().map(|n| n.id.as_str()).collect();
    let freed_after = wait_started(&mut events, &ids, cancelled_at).await;
    assert!(
        freed_after < Duration::from_secs(1),
        "both slots freed after {freed_after:?}"
    );
    let stopped = app.wait_final(&id, LIMIT).await;
    assert_eq!(stopped.status, VideoStatus::Cancelled);
    let frames = stopped.frames_processed;
    assert!(frames > 50 && frames < 795, "partial counts kept: {frames}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.get(&id).await.frames_processed,
        frames,
        "no frames after cancel"
    );
    for n in &next {
        assert_eq!(app.wait_final(&n.id, LIMIT).await.status, VideoStatus::Done);
    }
    app.stop().await;
}
