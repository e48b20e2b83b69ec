//! Jobs: counts, live progress, concurrency limit, cancel, restart.

use crate::helpers::*;
use app::model::{Video, VideoStatus};
use futures::StreamExt;
use std::collections::HashMap;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(180);

/// Follows events until every id is final; returns each video's sequence of states.
async fn follow_until_final(
    events: &mut (impl futures::Stream<Item = Video> + Unpin),
    ids: &[String],
) -> HashMap<String, Vec<Video>> {
    let mut seen: HashMap<String, Vec<Video>> = HashMap::new();
    let deadline = tokio::time::sleep(LIMIT);
    tokio::pin!(deadline);
    while !ids.iter().all(|id| {
        seen.get(id)
            .and_then(|v| v.last())
            .is_some_and(|v| v.status.is_final())
    }) {
        tokio::select! {
            Some(video) = events.next() => seen.entry(video.id.clone()).or_default().push(video),
            _ = &mut deadline => panic!("videos did not finish in time: {seen:?}"),
        }
    }
    seen
}

#[tokio::test]
async fn uploaded_videos_finish_with_the_counts_of_a_direct_scan_and_live_monotonic_progress() {
    let app = spawn_app().await;
    let mut events = app.events().await;
    let names = ["Megamind.avi", "carphone_pristine.mp4", "tree.avi"];
    let created = app.upload_shared(&names).await;
    assert_eq!(created.len(), 3);
    assert!(created
        .iter()
        .all(|v| v.status == VideoStatus::Queued && v.progress == 0.0));
    assert_eq!(created[0].filename, "Megamind.avi");
    let ids: Vec<String> = created.iter().map(|v| v.id.clone()).collect();

    let seen = follow_until_final(&mut events, &ids).await;

    for (name, id) in names.iter().zip(&ids) {
        let states = &seen[id];
        let progress: Vec<f64> = states.iter().map(|v| v.progress).collect();
        assert!(
            progress.windows(2).all(|w| w[0] <= w[1]),
            "{name}: progress went backwards: {progress:?}"
        );
        let frames: Vec<i64> = states.iter().map(|v| v.frames_processed).collect();
        assert!(
            frames.windows(2).all(|w| w[0] <= w[1]),
            "{name}: frames went backwards"
        );
        let last = app.get(id).await;
        assert_eq!(last.status, VideoStatus::Done, "{name}: {:?}", last.error);
        assert_eq!(last.progress, 100.0);
        let direct = direct_scan(name).await;
        assert_eq!(last.frames_processed, direct.frames_processed, "{name}");
        assert_eq!(
            last.frames_total,
            Some(direct.frames_processed),
            "{name}: real frame count once done"
        );
        assert_eq!(last.faces_total, direct.faces_total, "{name}");
        assert_eq!(last.max_faces_in_frame, direct.max_faces_in_frame, "{name}");
        assert_eq!(last.frames_with_faces, direct.frames_with_faces, "{name}");
        assert!(last.processing_fps.unwrap_or(0.0) > 0.0);
    }
    // Megamind (270 frames at ~30 fps) takes seconds: its progress is seen between 0 and 100.
    let megamind = &seen[&ids[0]];
    assert!(
        megamind
            .iter()
            .any(|v| v.progress > 0.0 && v.progress < 100.0 && v.faces_total > 0),
        "no intermediate progress"
    );
    // tree.avi's container claims 444 frames but has 68: progress still ends at exactly 100.
    let tree = app.get(&ids[2]).await;
    assert_eq!((tree.frames_processed, tree.faces_total), (68, 0));
    let listed = app.list().await;
    assert_eq!(
        listed.iter().map(|v| v.id.clone()).collect::<Vec<_>>(),
        ids.iter().rev().cloned().collect::<Vec<_>>(),
        "newest first"
    );
    app.stop().await;
}

#[tokio::test]
async fn concurrency_reaches_but_never_exceeds_the_worker_limit() {
    let app = spawn_app_with(AppOptions {
        workers: 2,
        ..Default::default()
    })
    .await;
    let mut events = app.events().await;
    let names = [
        "carphone_pristine.mp4",
        "tree.avi",
        "carphone_pristine.mp4",
        "tree.avi",
        "carphone_pristine.mp4",
    ];
    let ids: Vec<String> = app
        .upload_shared(&names)
        .await
        .into_iter()
        .map(|v| v.id)
        .collect();
    let mut status: HashMap<String, VideoStatus> = HashMap::new();
    let mut most = 0;
    let mut started = Vec::new();
    while !ids
        .iter()
        .all(|id| status.get(id).is_some_and(|s| s.is_final()))
    {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .expect("events")
            .expect("stream");
        if video.status == VideoStatus::Processing
            && status.get(&video.id) != Some(&VideoStatus::Processing)
        {
            started.push(video.id.clone());
        }
        status.insert(video.id.clone(), video.status);
        let running = status
            .values()
            .filter(|s| **s == VideoStatus::Processing)
            .count();
        assert!(running <= 2, "{running} videos processing with 2 workers");
        most = most.max(running);
    }
    assert_eq!(most, 2, "both workers were used");
    assert_eq!(started, ids, "videos start in upload order");
    app.stop().await;
}

#[tokio::test]
async fn cancel_stops_a_running_video_within_a_second_and_the_next_one_starts() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        ..Default::default()
    })
    .await;
    let mut events = app.events().await;
    let created = app
        .upload_shared(&["vtest.avi", "carphone_pristine.mp4"])
        .await;
    let (long, next) = (created[0].id.clone(), created[1].id.clone());
    // Wait until the long video has processed some frames.
    loop {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .unwrap()
            .unwrap();
        if video.id == long && video.frames_processed > 0 {
            break;
        }
    }
    let cancelled_at = Instant::now();
    let response = app
        .client
        .post(app.url(&format!("/api/videos/{long}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Video = response.json().await.unwrap();
    assert_eq!(body.status, VideoStatus::Cancelled);
    // The single permit is only released when the job has stopped: the next video starting proves it.
    loop {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .unwrap()
            .unwrap();
        if video.id == next && video.status == VideoStatus::Processing {
            break;
        }
    }
    let stopped_after = cancelled_at.elapsed();
    assert!(
        stopped_after < Duration::from_secs(1),
        "stopped after {stopped_after:?}"
    );
    let stopped = app.wait_final(&long, LIMIT).await;
    assert_eq!(stopped.status, VideoStatus::Cancelled);
    assert!(
        stopped.frames_processed > 0 && stopped.frames_processed < 795,
        "partial counts kept: {}",
        stopped.frames_processed
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        app.get(&long).await.frames_processed,
        stopped.frames_processed,
        "no frames after cancel"
    );
    assert_eq!(app.wait_final(&next, LIMIT).await.status, VideoStatus::Done);
    // A finished video cannot be cancelled; a cancelled one can, again, harmlessly.
    let done = app
        .client
        .post(app.url(&format!("/api/videos/{next}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 409);
    let again = app
        .client
        .post(app.url(&format!("/api/videos/{long}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn cancelling_a_queued_video_means_it_never_runs() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        ..Default::default()
    })
    .await;
    let created = app
        .upload_shared(&["Megamind.avi", "carphone_pristine.mp4"])
        .await;
    let queued = &created[1].id;
    let response = app
        .client
        .post(app.url(&format!("/api/videos/{queued}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    app.wait_final(&created[0].id, LIMIT).await;
    let video = app.get(queued).await;
    assert_eq!(
        (video.status, video.frames_processed),
        (VideoStatus::Cancelled, 0)
    );
    app.stop().await;
}

#[tokio::test]
async fn videos_left_processing_by_a_crash_are_requeued_and_finish() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        ..Default::default()
    })
    .await;
    let created = app.upload_shared(&["carphone_pristine.mp4"]).await;
    app.wait_final(&created[0].id, LIMIT).await;
    let (data_dir, url) = app.stop().await;
    // Simulate a crash mid-job: the row says processing, as a killed process leaves it.
    let db = server::db::Db::connect(&url).await.unwrap();
    sqlx::query("UPDATE videos SET status = 'processing', progress = 40 WHERE id = $1")
        .bind(&created[0].id)
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;
    let app = start(
        data_dir,
        url,
        AppOptions {
            workers: 1,
            ..Default::default()
        },
    )
    .await;
    let video = app.wait_final(&created[0].id, LIMIT).await;
    assert_eq!(
        (video.status, video.faces_total, video.progress),
        (VideoStatus::Done, 120, 100.0)
    );
    app.stop().await;
}

#[tokio::test]
async fn a_video_that_stopped_its_worker_too_often_fails_with_its_last_counts() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        max_attempts: 2,
        ..Default::default()
    })
    .await;
    let created = app
        .upload_shared(&["carphone_pristine.mp4", "carphone_pristine.mp4"])
        .await;
    for video in &created {
        app.wait_final(&video.id, LIMIT).await;
    }
    let (data_dir, url) = app.stop().await;
    // Both left processing by a crash, as a killed worker leaves them: the first after its
    // second claim (the limit), the second after its first.
    let db = server::db::Db::connect(&url).await.unwrap();
    for (video, attempts) in created.iter().zip([2, 1]) {
        sqlx::query(
            "UPDATE videos SET status = 'processing', progress = 40, frames_processed = 48, \
             faces_total = 48, worker_id = 'gone', lease_expires_at = NULL, attempts = $2 \
             WHERE id = $1",
        )
        .bind(&video.id)
        .bind(attempts)
        .execute(db.pool())
        .await
        .unwrap();
    }
    db.close().await;
    let options = AppOptions {
        workers: 1,
        max_attempts: 2,
        ..Default::default()
    };
    let app = start(data_dir, url, options).await;
    let poison = app.wait_final(&created[0].id, LIMIT).await;
    assert_eq!(poison.status, VideoStatus::Failed);
    assert_eq!(
        (poison.frames_processed, poison.faces_total, poison.progress),
        (48, 48, 40.0),
        "its last counts are kept"
    );
    let error = poison.error.unwrap_or_default();
    assert!(
        error.contains("stopped 2 times") && error.contains("FACETALLY_MAX_ATTEMPTS"),
        "{error}"
    );
    let retried = app.wait_final(&created[1].id, LIMIT).await;
    assert_eq!(
        (retried.status, retried.faces_total),
        (VideoStatus::Done, 120),
        "under the limit: run again"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_job_whose_lease_lapsed_cannot_write_over_the_next_claim_of_its_own_process() {
    use server::jobs::{JobEnd, Lease, ProgressUpdate};
    let app = spawn_app_with(AppOptions {
        workers: 0, // the claims are made by hand
        ..Default::default()
    })
    .await;
    let video = app
        .upload_shared(&["carphone_pristine.mp4"])
        .await
        .remove(0);
    let db = server::db::Db::connect(&app.database_url).await.unwrap();
    let lease = Lease {
        worker_id: "one-process".into(),
        duration: Duration::from_secs(30),
    };
    let (_, first) = db.claim_next_video(&lease).await.unwrap().unwrap();
    // The first job stalls past its lease; the same process claims the video again.
    sqlx::query("UPDATE videos SET lease_expires_at = '2000-01-01T00:00:00.000000Z' WHERE id = $1")
        .bind(&video.id)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(db.requeue_expired(3).await.unwrap().len(), 1);
    let (_, second) = db.claim_next_video(&lease).await.unwrap().unwrap();
    assert_eq!(first.worker_id, second.worker_id, "one process");
    let progress = ProgressUpdate {
        totals: vision::ScanTotals {
            frames_processed: 7,
            faces_total: 7,
            max_faces_in_frame: 1,
            frames_with_faces: 7,
        },
        progress: 5.0,
        processing_fps: 1.0,
        people_count: None,
        activity: None,
    };
    let end = JobEnd {
        status: VideoStatus::Done,
        progress: progress.clone(),
        error: None,
        frames_total: Some(7),
        segments: Some(1),
    };
    assert!(
        db.update_progress(&first, &progress)
            .await
            .unwrap()
            .is_none(),
        "old claim: progress refused"
    );
    assert!(
        !db.renew_lease(&first).await.unwrap(),
        "old claim: lease not renewed"
    );
    assert!(
        db.finish_video(&first, &end).await.unwrap().is_none(),
        "old claim: result refused"
    );
    assert!(db.requeue_held_video(&first).await.unwrap().is_none());
    let running = db.update_progress(&second, &progress).await.unwrap();
    assert_eq!(
        running.map(|v| v.frames_processed),
        Some(7),
        "the current claim writes"
    );
    let done = db
        .finish_video(&second, &end)
        .await
        .unwrap()
        .expect("finished");
    assert_eq!(done.status, VideoStatus::Done);
    db.close().await;
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_processing_video_removes_its_row_and_file() {
    let app = spawn_app_with(AppOptions {
        workers: 1,
        ..Default::default()
    })
    .await;
    let created = app.upload_shared(&["vtest.avi"]).await;
    let id = &created[0].id;
    while app.get(id).await.frames_processed == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let response = app
        .client
        .delete(app.url(&format!("/api/videos/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let missing = app
        .client
        .get(app.url(&format!("/api/videos/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(app.stored_files().is_empty(), "{:?}", app.stored_files());
    assert!(app.list().await.is_empty());
    let again = app
        .client
        .delete(app.url(&format!("/api/videos/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    app.stop().await;
}
