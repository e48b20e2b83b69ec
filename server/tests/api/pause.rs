//! Pause and resume of a segmented video, and one video's segments shared by two instances
//! on one database: the final counts and people are exactly those of one pass.

use crate::helpers::*;
use crate::one_pass::one_pass;
use app::model::{Video, VideoStatus};
use futures::StreamExt;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(300);

fn totals(v: &Video) -> vision::ScanTotals {
    vision::ScanTotals {
        frames_processed: v.frames_processed,
        faces_total: v.faces_total,
        max_faces_in_frame: v.max_faces_in_frame,
        frames_with_faces: v.frames_with_faces,
    }
}

async fn post(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let response = app.client.post(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// Next event of `id` from the stream that satisfies `until`.
async fn event_until(
    events: &mut (impl futures::Stream<Item = Video> + Unpin),
    id: &str,
    until: impl Fn(&Video) -> bool,
) -> Video {
    loop {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .expect("an event in time")
            .expect("the stream stays open");
        if video.id == id && until(&video) {
            return video;
        }
    }
}

#[tokio::test]
async fn pause_frees_the_slots_at_once_and_resume_continues_to_the_one_pass_counts() {
    let app = spawn_app_with(AppOptions {
        workers: 2,
        segment_secs: 10.0,
        ..Default::default()
    })
    .await;
    let reference = tokio::spawn(one_pass("vtest.avi"));
    let mut events = app.events().await;
    // vtest.avi (79.5 s) in 8 segments of 12.5 % each: past 26 % at least one is done.
    let id = app.upload_shared(&["vtest.avi"]).await[0].id.clone();
    event_until(&mut events, &id, |v| v.progress > 26.0).await;
    let next = app
        .upload_shared(&["carphone_pristine.mp4", "carphone_pristine.mp4"])
        .await;
    for n in &next {
        assert_eq!(app.get(&n.id).await.status, VideoStatus::Queued);
    }

    let paused_at = Instant::now();
    let (code, body) = post(&app, &format!("/api/videos/{id}/pause")).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("paused")),
        "{body}"
    );
    let ids: Vec<&str> = next.iter().map(|n| n.id.as_str()).collect();
    let freed_after = wait_started(&mut events, &ids, paused_at).await;
    assert!(
        freed_after < Duration::from_secs(1),
        "slots freed after {freed_after:?}"
    );

    // Paused: the finished segments' counts, whole segments only, and nothing moves.
    let paused = app.get(&id).await;
    assert_eq!(paused.status, VideoStatus::Paused);
    assert!(
        paused.frames_processed > 0 && paused.frames_processed < 795,
        "{paused:?}"
    );
    let segments_done = paused.progress / 12.5;
    assert!(
        segments_done >= 1.0 && (segments_done - segments_done.round()).abs() < 1e-6,
        "progress of finished segments only: {}",
        paused.progress
    );
    // Its chart keeps the finished segments' faces, as its counts do.
    let timeline: app::model::VideoTimeline =
        app.get_json(&format!("/api/videos/{id}/timeline")).await;
    let charted: i64 = timeline
        .faces_per_second
        .iter()
        .map(|&n| i64::from(n))
        .sum();
    let sparkline: i64 = paused.sparkline.iter().map(|&n| i64::from(n)).sum();
    assert_eq!(
        (charted, sparkline),
        (paused.faces_total, paused.faces_total)
    );
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(app.get(&id).await, paused, "nothing runs while paused");
    let (code, _) = post(&app, &format!("/api/videos/{id}/pause")).await;
    assert_eq!(code, 409, "pausing a paused video");
    let done = app.wait_final(&next[0].id, LIMIT).await;
    for action in ["pause", "resume"] {
        let (code, body) = post(&app, &format!("/api/videos/{}/{action}", done.id)).await;
        assert_eq!(code, 409, "{action} of a done video: {body}");
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains("done")),
            "{body}"
        );
    }
    let unknown = uuid::Uuid::now_v7();
    assert_eq!(
        post(&app, &format!("/api/videos/{unknown}/resume")).await.0,
        404
    );

    // Resume: queued again, then on from the first unfinished segment, never from frame 0.
    let (code, body) = post(&app, &format!("/api/videos/{id}/resume")).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("queued")),
        "{body}"
    );
    let (code, _) = post(&app, &format!("/api/videos/{id}/resume")).await;
    assert_eq!(code, 409, "resuming a queued video");
    let last = loop {
        let video = event_until(&mut events, &id, |_| true).await;
        assert!(
            video.progress >= paused.progress && video.frames_processed >= paused.frames_processed,
            "went back after the resume: {video:?}"
        );
        if video.status.is_final() {
            break video;
        }
    };
    assert_eq!(last.status, VideoStatus::Done, "{:?}", last.error);
    assert_eq!(last.segments, Some(8));
    let (totals_one_pass, people_one_pass) = reference.await.unwrap();
    assert_eq!(totals(&last), totals_one_pass, "the one-pass counts");
    assert_eq!(
        last.people_count,
        Some(people_one_pass),
        "the one-pass people"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_paused_video_can_be_cancelled_and_a_queued_one_paused() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        segment_secs: 10.0,
        ..Default::default()
    })
    .await;
    let videos = app.upload_shared(&["vtest.avi", "Megamind.avi"]).await;
    let (first, second) = (&videos[0].id, &videos[1].id);
    let (code, body) = post(&app, &format!("/api/videos/{second}/pause")).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("paused")),
        "{body}"
    );
    let (code, body) = post(&app, &format!("/api/videos/{first}/pause")).await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = post(&app, &format!("/api/videos/{first}/cancel")).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (200, Some("cancelled")),
        "{body}"
    );
    let (code, _) = post(&app, &format!("/api/videos/{second}/resume")).await;
    assert_eq!(code, 200);
    let megamind = app.wait_final(second, LIMIT).await;
    assert_eq!(
        (
            megamind.status,
            megamind.faces_total,
            megamind.frames_processed
        ),
        (VideoStatus::Done, 365, 270)
    );
    assert_eq!(app.get(first).await.status, VideoStatus::Cancelled);
    app.stop().await;
}

#[tokio::test]
async fn two_instances_share_the_segments_of_one_video_with_one_pass_counts() {
    let options = || AppOptions {
        workers: 1,
        segment_secs: 10.0,
        ..Default::default()
    };
    let first = spawn_app_with(options()).await;
    let second = join(&first, options()).await;
    let reference = tokio::spawn(one_pass("vtest.avi"));
    let id = first.upload_shared(&["vtest.avi"]).await[0].id.clone();
    // Which processes ran its segments, read from the database while it runs.
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&first.database_url).await.unwrap();
    let mut runners = std::collections::HashSet::new();
    let deadline = Instant::now() + LIMIT;
    while !first.get(&id).await.status.is_final() {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT worker_id FROM video_segments WHERE video_id = $1 AND worker_id IS NOT NULL",
        )
        .bind(&id)
        .fetch_all(&db)
        .await
        .unwrap();
        runners.extend(rows.into_iter().map(|(w,)| w));
        assert!(Instant::now() < deadline, "not done in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    db.close().await;
    assert_eq!(runners.len(), 2, "both instances ran segments: {runners:?}");
    let done = second.get(&id).await;
    assert_eq!(done.status, VideoStatus::Done, "{:?}", done.error);
    assert_eq!(done.segments, Some(8));
    let (totals_one_pass, people_one_pass) = reference.await.unwrap();
    assert_eq!(totals(&done), totals_one_pass);
    assert_eq!(done.people_count, Some(people_one_pass));
    second.stop().await;
    first.stop().await;
}
