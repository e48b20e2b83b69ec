//! Processes started by hand in one folder share its data dir: none deletes the temporary
//! files of another that is alive (uploads being received, videos being downloaded), and
//! the leftovers of one killed are removed by the next start. PostgreSQL and S3 only.

use crate::instance::Instance;
use app::model::VideoStatus;
use std::time::Duration;

const LIMIT: Duration = Duration::from_secs(240);

#[tokio::test]
#[ignore = "needs PostgreSQL: scripts/test.sh runs it in its PostgreSQL pass (--include-ignored)"]
async fn processes_sharing_a_data_dir_never_delete_each_others_files() {
    let mut instance = Instance::new().await;
    assert!(
        instance.is_postgres(),
        "worker processes need FACETALLY_TEST_POSTGRES"
    );
    let Some(s3) = crate::s3::server() else {
        return;
    };
    let (bucket, _) = s3.bucket();
    instance.storage_url = Some(format!("s3://{bucket}/facetally"));
    instance.env = s3.env();
    instance.serve_workers = Some(0);
    instance.start().await;
    let mut workers = vec![
        instance.spawn_worker_sharing(1),
        instance.spawn_worker_sharing(2),
    ];
    let mut videos = vec![
        instance.upload("Megamind.avi").await,
        instance.upload("carphone_pristine.mp4").await,
    ];
    // A worker downloaded Megamind and is processing it; an upload is half-way in.
    instance.wait_frames(&videos[0].id, LIMIT).await;
    let holder: (Option<String>,) = sqlx::query_as("SELECT worker_id FROM videos WHERE id = $1")
        .bind(&videos[0].id)
        .fetch_one(instance.db().await.pool())
        .await
        .unwrap();
    let holder = holder.0.expect("held");
    let slow = instance.slow_upload("tree.avi").await;
    let victim = workers
        .iter()
        .position(|w| holder.contains(&format!("-{}-", w.id())))
        .expect("one of ours holds it");
    let mut killed = workers.remove(victim);
    killed.kill().unwrap(); // SIGKILL: its download stays behind
    killed.wait().unwrap();
    assert!(
        instance.incoming_files().iter().any(|f| f
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("fetch-"))),
        "the killed worker left its download: {:?}",
        instance.incoming_files()
    );

    // A new worker starts in the same folder while the upload is still coming in.
    workers.push(instance.spawn_worker_sharing(3));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let response = slow.finish().await;
    assert_eq!(response.status(), 201, "the upload being received was kept");
    videos.extend(response.json::<Vec<app::model::Video>>().await.unwrap());
    for name in ["Megamind.avi", "carphone_pristine.mp4"] {
        videos.push(instance.upload(name).await);
    }
    for video in &videos {
        let done = instance.wait_final(&video.id, LIMIT).await;
        assert_eq!(
            done.status,
            VideoStatus::Done,
            "{}: {:?}",
            video.filename,
            done.error
        );
    }

    for mut worker in workers {
        crate::instance::sigterm(&mut worker)
            .await
            .expect("a worker stops");
    }
    instance.sigterm().await;
    assert!(
        instance.incoming_files().is_empty(),
        "no temporary file left: {:?}",
        instance.incoming_files()
    );
}
