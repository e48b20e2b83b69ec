//! One CPU limiter for jobs and upload probes: with every job slot busy an upload is still
//! probed and answered at once (a probe never waits for a job), and probes run at most as
//! many at once as the slots the jobs cannot take.

use crate::helpers::*;
use crate::metrics::{scrape, value};
use app::model::{Video, VideoStatus};
use std::time::Duration;

#[tokio::test]
async fn uploads_are_probed_while_every_job_slot_is_busy_within_the_reserve() {
    // One job slot and two CPU permits: one permit only short work may take.
    let app = spawn_app_with(AppOptions {
        workers: 1,
        cpu_slots: Some(2),
        segment_secs: 0.0,
        ..AppOptions::default()
    })
    .await;
    let long = app.upload_shared(&["vtest.avi"]).await.remove(0);
    wait_processing(&app, &long.id).await;
    let before = scrape(&app).await;
    assert_eq!(value(&before, "facetally_jobs_running", &[]), 1.0);
    assert_eq!(value(&before, "facetally_job_slots", &[]), 1.0);
    assert_eq!(value(&before, "facetally_cpu_slots", &[]), 2.0);

    // Four uploads at once, each with two files probed one after the other.
    let bytes = std::fs::read(video("carphone_pristine.mp4")).unwrap();
    let uploads = (0..4).map(|i| {
        let files = vec![
            (format!("a{i}.mp4"), bytes.clone()),
            (format!("b{i}.mp4"), bytes.clone()),
        ];
        app.upload(files, None)
    });
    let mut created = Vec::new();
    for response in futures::future::join_all(uploads).await {
        assert_eq!(response.status(), 201);
        created.extend(response.json::<Vec<Video>>().await.unwrap());
    }

    // The job that held the only job slot before the uploads still holds it: every probe
    // ran beside it, none waited for it, and the new videos wait in the queue.
    assert_eq!(app.get(&long.id).await.status, VideoStatus::Processing);
    for video in &created {
        assert_eq!(app.get(&video.id).await.status, VideoStatus::Queued);
    }
    let after = scrape(&app).await;
    assert_eq!(value(&after, "facetally_jobs_running", &[]), 1.0);
    assert_eq!(value(&after, "facetally_short_work_running", &[]), 0.0);
    assert_eq!(
        value(&after, "facetally_short_work_peak", &[]),
        1.0,
        "8 probes at once, under the one permit the job slot leaves"
    );
    app.client
        .post(app.url(&format!("/api/videos/{}/cancel", long.id)))
        .send()
        .await
        .unwrap();
}

/// Polls until the video's job holds a slot (at most a minute).
async fn wait_processing(app: &TestApp, id: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while app.get(id).await.status != VideoStatus::Processing {
        assert!(tokio::time::Instant::now() < deadline, "{id} never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
