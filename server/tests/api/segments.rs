//! One long video on every job slot: cut into time segments, merged into exactly the counts
//! and people of one pass; cancel stops every segment.

use crate::helpers::*;
use app::model::{PeoplePage, Video, VideoStatus};
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

#[tokio::test]
async fn segmented_videos_have_exactly_the_counts_and_people_of_one_pass() {
    let (segmented, single) = segmented_and_single().await;
    // faces.mp4 (9.6 s) and Megamind.avi (11.3 s) in 4 segments; tree.avi's timestamps
    // cannot be trusted (444 frames claimed, 68 real): one pass.
    let names = ["faces.mp4", "Megamind.avi", "tree.avi"];
    let cut = [Some(4), Some(4), Some(1)];
    let a = segmented.upload_shared(&names).await;
    let b = single.upload_shared(&names).await;
    for (i, name) in names.iter().enumerate() {
        let x = segmented.wait_final(&a[i].id, LIMIT).await;
        let y = single.wait_final(&b[i].id, LIMIT).await;
        assert_eq!(x.status, VideoStatus::Done, "{name}: {:?}", x.error);
        assert_eq!(y.status, VideoStatus::Done, "{name}: {:?}", y.error);
        assert_eq!(x.segments, cut[i], "{name}: segments");
        assert_eq!(y.segments, Some(1), "{name}: one pass");
        assert_eq!(counts(&x), counts(&y), "{name}: counts");
        let direct = direct_scan(name).await;
        assert_eq!(x.faces_total, direct.faces_total, "{name}");
        assert_eq!(
            people_of(&segmented, &x.id).await,
            people_of(&single, &y.id).await,
            "{name}: people and their episodes"
        );
    }
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

/// `facetally scan --json` on one file with these extra arguments: its JSON entry.
fn scan_cli(name: &str, args: &[&str]) -> serde_json::Value {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_facetally"))
        .arg("scan")
        .arg("--json")
        .args(args)
        .arg(video(name))
        .env("FACETALLY_MODELS_DIR", shared_dir().join("models"))
        .env("FACETALLY_EMBEDDER", "mobilefacenet")
        .output()
        .expect("facetally scan runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let all: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    all[0].clone()
}

#[test]
fn scan_cli_cuts_one_long_file_for_every_job_with_one_pass_counts() {
    // vtest.avi: 79.5 s; --jobs 2 --segment-secs 20 gives 4 segments.
    let cut = scan_cli("vtest.avi", &["--jobs", "2", "--segment-secs", "20"]);
    let whole = scan_cli("vtest.avi", &["--jobs", "1", "--segment-secs", "0"]);
    assert_eq!(cut["segments"], 4, "{cut}");
    assert_eq!(whole["segments"], 1, "{whole}");
    assert_eq!(cut["totals"], whole["totals"]);
    assert_eq!(cut["totals"]["frames_processed"], 795);
    assert_eq!(cut["people"], whole["people"]);
    assert!(cut["people"].as_u64().is_some(), "{cut}");
}
