//! Several facetally instances on one PostgreSQL database: a web-only instance and workers.
//! These run in the PostgreSQL pass only (they need a database shared between instances).

use crate::helpers::*;
use app::model::{Video, VideoStatus};
use futures::StreamExt;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(180);

fn postgres() -> bool {
    let shared = std::env::var("FACETALLY_TEST_POSTGRES").is_ok();
    if !shared {
        eprintln!("scale-out tests need FACETALLY_TEST_POSTGRES (scripts/test.sh sets it for the PostgreSQL pass)");
    }
    shared
}

#[tokio::test]
async fn a_web_only_instance_sees_progress_and_cancels_jobs_run_by_a_worker_instance() {
    if !postgres() {
        return;
    }
    let web = spawn_app_with(AppOptions {
        workers: 0,
        ..Default::default()
    })
    .await;
    let worker = join(
        &web,
        AppOptions {
            workers: 1,
            ..Default::default()
        },
    )
    .await;
    let mut events = web.events().await;
    let created = web
        .upload_shared(&["vtest.avi", "carphone_pristine.mp4"])
        .await;
    let (long, short) = (created[0].id.clone(), created[1].id.clone());
    // Progress made by the worker reaches the web instance's SSE stream.
    let running: Video = loop {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .unwrap()
            .unwrap();
        if video.id == long && video.frames_processed > 0 {
            break video;
        }
    };
    assert_eq!(running.status, VideoStatus::Processing);
    let cancelled_at = Instant::now();
    let response = web
        .client
        .post(web.url(&format!("/api/videos/{long}/cancel")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // The worker's single slot frees only when the job stops: the next video starting proves it.
    loop {
        let video = tokio::time::timeout(LIMIT, events.next())
            .await
            .unwrap()
            .unwrap();
        if video.id == short && video.status == VideoStatus::Processing {
            break;
        }
    }
    assert!(
        cancelled_at.elapsed() < Duration::from_secs(1),
        "stopped after {:?}",
        cancelled_at.elapsed()
    );
    let done = web.wait_final(&short, LIMIT).await;
    assert_eq!((done.status, done.faces_total), (VideoStatus::Done, 120));
    assert_eq!(web.get(&long).await.status, VideoStatus::Cancelled);
    worker.stop().await;
    web.stop().await;
}

#[tokio::test]
async fn a_video_held_by_a_vanished_worker_is_taken_over_after_its_lease_expires() {
    if !postgres() {
        return;
    }
    let web = spawn_app_with(AppOptions {
        workers: 0,
        ..Default::default()
    })
    .await;
    let first = join(
        &web,
        AppOptions {
            workers: 1,
            lease_secs: 2,
            ..Default::default()
        },
    )
    .await;
    let created = web.upload_shared(&["Megamind.avi"]).await;
    let id = created[0].id.clone();
    while web.get(&id).await.frames_processed == 0 {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The worker goes away mid-video without finishing it (as after a crash): the row stays
    // `processing` with a lease nobody renews. A graceful stop re-queues the video, so the
    // state a crash leaves is written by hand after it.
    first.stop().await;
    let db = server::db::Db::connect(&web.database_url).await.unwrap();
    sqlx::query("UPDATE videos SET status = 'processing', worker_id = 'vanished-1-000000', lease_expires_at = $1 WHERE id = $2")
        .bind(server::db::later_text(Duration::from_secs(2)))
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
    db.close().await;
    assert_eq!(web.get(&id).await.status, VideoStatus::Processing);
    let second = join(
        &web,
        AppOptions {
            workers: 1,
            lease_secs: 2,
            ..Default::default()
        },
    )
    .await;
    let video = web.wait_final(&id, LIMIT).await;
    assert_eq!(
        (video.status, video.faces_total, video.frames_processed),
        (VideoStatus::Done, 365, 270)
    );
    second.stop().await;
    web.stop().await;
}
