//! A video's timeline: faces per second that add up to its counts (stored while it is
//! processed, in one pass or in segments), its people's lanes, and its face boxes, the same
//! whichever way it was scanned (segments.rs compares a cut video's with its one pass).

use crate::helpers::*;
use app::model::{BoxFrame, FaceBoxes, Video, VideoStatus, VideoTimeline};
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(300);

/// Every face box of a video, read window by window over its whole length.
async fn all_boxes(app: &TestApp, video: &Video) -> Vec<BoxFrame> {
    let length = video.duration_s.expect("duration").ceil() + 1.0;
    let mut frames = Vec::new();
    let mut from = 0.0;
    while from < length {
        let window: FaceBoxes = app
            .get_json(&format!(
                "/api/videos/{}/boxes?from_s={from}&to_s={}",
                video.id,
                from + 50.0
            ))
            .await;
        assert_eq!(
            (window.width, window.height),
            (video.width.unwrap() as u32, video.height.unwrap() as u32)
        );
        assert!(window
            .frames
            .iter()
            .all(|f| f.t_s >= from && f.t_s < from + 50.0));
        frames.extend(window.frames);
        from += 50.0;
    }
    frames
}

/// What a finished video's timeline says, checked against its counts.
pub async fn checked_timeline(app: &TestApp, video: &Video) -> (VideoTimeline, Vec<BoxFrame>) {
    let timeline: VideoTimeline = app
        .get_json(&format!("/api/videos/{}/timeline", video.id))
        .await;
    let name = &video.filename;
    let sum: i64 = timeline
        .faces_per_second
        .iter()
        .map(|&n| i64::from(n))
        .sum();
    assert_eq!(sum, video.faces_total, "{name}: faces per second add up");
    let seconds = timeline.faces_per_second.len() as f64;
    assert!(
        seconds <= video.duration_s.unwrap().ceil() + 1.0,
        "{name}: {seconds} s"
    );
    let spark: i64 = video.sparkline.iter().map(|&n| i64::from(n)).sum();
    assert_eq!(video.sparkline.len(), 48, "{name}: sparkline buckets");
    assert_eq!(spark, video.faces_total, "{name}: sparkline adds up");
    assert_eq!(
        timeline.people.len() as i64,
        video.people_count.unwrap(),
        "{name}: one lane per person"
    );
    let frames = all_boxes(app, video).await;
    let boxes: usize = frames.iter().map(|f| f.boxes.len()).sum();
    assert_eq!(boxes as i64, video.faces_total, "{name}: one box per face");
    assert_eq!(
        frames.len() as i64,
        video.frames_with_faces,
        "{name}: frames"
    );
    // A box labelled with a person lies within one of that person's episodes.
    for frame in &frames {
        for b in &frame.boxes {
            let Some(ordinal) = b.person else { continue };
            let person = timeline
                .people
                .iter()
                .find(|p| p.ordinal == ordinal)
                .unwrap_or_else(|| panic!("{name}: box of unknown person {ordinal}"));
            assert!(
                person
                    .episodes
                    .iter()
                    .any(|e| frame.t_s >= e.start_s - 0.01 && frame.t_s <= e.end_s + 0.01),
                "{name}: box at {} s outside person {ordinal}'s episodes",
                frame.t_s
            );
            assert!(b.w > 0 && b.h > 0);
        }
    }
    for person in &timeline.people {
        let labelled = frames
            .iter()
            .flat_map(|f| &f.boxes)
            .filter(|b| b.person == Some(person.ordinal))
            .count();
        assert!(labelled >= 3, "{name}: person {} has boxes", person.ordinal);
    }
    (timeline, frames)
}

#[tokio::test]
async fn timeline_grows_while_processing_and_windows_are_checked() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        segment_secs: 0.0,
        ..Default::default()
    })
    .await;
    let video = app.upload_shared(&["faces.mp4"]).await.remove(0);
    // While processing: the counts so far, never more than the stored faces.
    let mut seen_partial = false;
    loop {
        let now = app.get(&video.id).await;
        let timeline: VideoTimeline = app
            .get_json(&format!("/api/videos/{}/timeline", video.id))
            .await;
        let sum: i64 = timeline
            .faces_per_second
            .iter()
            .map(|&n| i64::from(n))
            .sum();
        let after = app.get(&video.id).await;
        assert!(
            sum >= now.faces_total && sum <= after.faces_total,
            "{sum} faces charted between {} and {}",
            now.faces_total,
            after.faces_total
        );
        if now.status == VideoStatus::Processing && sum > 0 && sum < 300 {
            seen_partial = true;
        }
        if after.status.is_final() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let done = app.wait_final(&video.id, LIMIT).await;
    assert_eq!(done.status, VideoStatus::Done);
    assert!(seen_partial, "the chart was seen part-way");
    checked_timeline(&app, &done).await;

    let get = |path: String| {
        let (client, url) = (app.client.clone(), app.url(&path));
        async move { client.get(url).send().await.unwrap() }
    };
    let id = &video.id;
    for (query, field) in [
        ("from_s=-1", "from_s"),
        ("from_s=abc", "from_s"),
        ("form_s=1", "form_s"),
    ] {
        let response = get(format!("/api/videos/{id}/boxes?{query}")).await;
        assert_eq!(response.status(), 422, "{query}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["fields"][field].is_string(), "{query}: {body}");
    }
    // A window longer than 120 s is cut; one ending before it starts is empty.
    let cut: FaceBoxes = app
        .get_json(&format!("/api/videos/{id}/boxes?to_s=500"))
        .await;
    assert_eq!((cut.from_s, cut.to_s), (0.0, 120.0));
    let empty: FaceBoxes = app
        .get_json(&format!("/api/videos/{id}/boxes?from_s=5&to_s=1"))
        .await;
    assert!(empty.frames.is_empty());
    let missing = "0190f0d4-0000-7000-8000-000000000000";
    for path in [
        format!("/api/videos/{missing}/timeline"),
        format!("/api/videos/{missing}/boxes"),
    ] {
        assert_eq!(get(path.clone()).await.status(), 404, "{path}");
    }
    assert_eq!(
        get("/api/videos/not-a-uuid/timeline".into()).await.status(),
        400
    );
    app.stop().await;
}

#[tokio::test]
async fn a_queued_video_has_no_boxes_and_an_empty_timeline() {
    let app = spawn_app_with(AppOptions {
        workers: 0,
        ..Default::default()
    })
    .await;
    let video = app.upload_shared(&["faces.mp4"]).await.remove(0);
    let boxes = app
        .client
        .get(app.url(&format!("/api/videos/{}/boxes", video.id)))
        .send()
        .await
        .unwrap();
    assert_eq!(boxes.status(), 404, "queued: no boxes yet");
    let timeline: VideoTimeline = app
        .get_json(&format!("/api/videos/{}/timeline", video.id))
        .await;
    assert!(timeline.faces_per_second.is_empty() && timeline.people.is_empty());
    assert!(app.get(&video.id).await.sparkline.is_empty());
    app.stop().await;
}
