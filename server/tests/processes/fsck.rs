//! `facetally fsck` on inconsistencies made by hand: an orphan video file and an orphan
//! profile crop, a video whose file was deleted, a video left `processing` with an expired
//! lease, a stray temp file. SQLite without FACETALLY_TEST_POSTGRES, PostgreSQL with it.

use crate::instance::Instance;
use app::model::VideoStatus;
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(120);

/// `(kind, subject, outcome)` of every finding.
fn findings(report: &Value) -> BTreeSet<(String, String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (text(&f["kind"]), text(&f["subject"]), text(&f["outcome"])))
        .collect()
}

fn expect(items: &[(&str, &str)], outcome: &str) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(k, s)| (k.to_string(), s.to_string(), outcome.to_owned()))
        .collect()
}

#[tokio::test]
async fn fsck_reports_each_inconsistency_repairs_them_and_leaves_answered_videos_alone() {
    let started = Instant::now();
    let mut instance = Instance::new().await;
    instance.start().await;
    let (gone, stuck, kept) = (
        instance.upload("carphone_pristine.mp4").await,
        instance.upload("carphone_pristine.mp4").await,
        instance.upload("tree.avi").await,
    );
    for video in [&gone, &stuck, &kept] {
        assert_eq!(
            instance.wait_final(&video.id, LIMIT).await.status,
            VideoStatus::Done
        );
    }
    let kept_before = instance.get(&kept.id).await;
    instance.sigterm().await;
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!(
        (code, findings(&report).len()),
        (0, 0),
        "consistent after normal use: {report:#}"
    );

    // Break it by hand.
    let files = instance.files_dir();
    let orphan_video = format!("videos/{}/original.mp4", uuid::Uuid::now_v7());
    let orphan_crop = format!("profiles/{}/crop.jpg", uuid::Uuid::now_v7());
    for key in [&orphan_video, &orphan_crop] {
        std::fs::create_dir_all(files.join(key).parent().unwrap()).unwrap();
        std::fs::write(files.join(key), b"left by a crash").unwrap();
    }
    std::fs::write(files.join("not-facetally.txt"), b"someone else's").unwrap();
    let gone_key = format!("videos/{}/original.mp4", gone.id);
    std::fs::remove_file(files.join(&gone_key)).unwrap();
    let db = instance.db().await;
    sqlx::query("UPDATE videos SET status = 'processing', worker_id = 'dead-1-abcdef', lease_expires_at = '2001-01-01T00:00:00.000000Z' WHERE id = $1")
        .bind(&stuck.id)
        .execute(db.pool())
        .await
        .unwrap();
    let stray = instance.data_dir().join("incoming/upload-stray.part");
    std::fs::write(&stray, b"half an upload").unwrap();
    let stray = stray.display().to_string();

    // With the default grace, just-written objects and temp files are left alone.
    let (code, report) = instance.fsck_json(&[]);
    assert_eq!(code, 1);
    let recent = expect(
        &[("missing_file", &gone.id), ("stuck_processing", &stuck.id)],
        "found",
    );
    assert_eq!(findings(&report), recent, "{report:#}");
    assert!(
        report["notes"].to_string().contains("younger than 60 s"),
        "{report:#}"
    );

    let all = [
        ("missing_file", gone.id.as_str()),
        ("orphan_object", orphan_crop.as_str()),
        ("orphan_object", orphan_video.as_str()),
        ("stuck_processing", stuck.id.as_str()),
        ("temp_file", stray.as_str()),
    ];
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!(
        (code, findings(&report)),
        (1, expect(&all, "found")),
        "{report:#}"
    );
    let (code, text) = instance.fsck(&["--grace-secs", "0"]);
    assert_eq!(code, 1);
    for (_, subject) in all {
        assert!(
            text.contains(subject),
            "the text report names {subject}:\n{text}"
        );
    }
    assert!(text.contains("fsck --repair"), "{text}");

    let (code, report) = instance.fsck_json(&["--repair", "--grace-secs", "0"]);
    assert_eq!(
        (code, findings(&report)),
        (0, expect(&all, "repaired")),
        "{report:#}"
    );
    assert_eq!(report["consistent"], true);
    assert!(!files.join(&orphan_video).exists() && !files.join(&orphan_crop).exists());
    assert!(!std::path::Path::new(&stray).exists());
    assert!(
        files.join("not-facetally.txt").exists(),
        "objects outside facetally's folders are never touched"
    );
    let (code, text) = instance.fsck(&["--grace-secs", "0"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("consistent") && text.contains("marked failed earlier"),
        "{text}"
    );

    // Rows: the one without a file failed with a clear error, the stuck one queued, the rest untouched.
    let row = db
        .get_video(&gone.id)
        .await
        .unwrap()
        .expect("never deleted");
    assert_eq!(row.status, VideoStatus::Failed);
    assert!(
        row.error
            .as_deref()
            .unwrap_or_default()
            .contains("missing from storage"),
        "{:?}",
        row.error
    );
    assert_eq!(row.faces_total, 120, "counts kept");
    assert_eq!(
        db.get_video(&stuck.id).await.unwrap().unwrap().status,
        VideoStatus::Queued
    );
    db.close().await;
    instance.start().await;
    assert_eq!(
        instance.get(&kept.id).await,
        kept_before,
        "an intact video is untouched"
    );
    let requeued = instance.wait_final(&stuck.id, LIMIT).await;
    assert_eq!(
        (requeued.status, requeued.faces_total),
        (VideoStatus::Done, 120)
    );
    assert_eq!(instance.get(&gone.id).await.status, VideoStatus::Failed);
    instance.sigterm().await;
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!((code, findings(&report).len()), (0, 0), "{report:#}");
    eprintln!("fsck scenario: {} ms", started.elapsed().as_millis());
}

#[tokio::test]
async fn fsck_deletes_nothing_without_a_database_or_with_an_empty_one() {
    let mut instance = Instance::new().await;
    let orphan = instance.files_dir().join("videos/x/original.mp4");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"a file").unwrap();
    if !instance.is_postgres() {
        let output = instance.command(&["fsck", "--repair"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("no database at"), "{stderr}");
        assert!(
            !instance.data_dir().join("facetally.db").exists(),
            "no database created"
        );
    }
    // A database without videos or profiles next to stored objects: most likely the wrong one.
    instance.start().await;
    instance.sigterm().await;
    let (code, report) = instance.fsck_json(&["--repair", "--grace-secs", "0"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["findings"][0]["outcome"], "failed", "{report:#}");
    assert!(
        report["findings"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("refusing to delete"),
        "{report:#}"
    );
    assert!(orphan.exists(), "nothing deleted");
}

#[tokio::test]
async fn fsck_lists_and_repairs_s3_storage() {
    let Some(s3) = crate::s3::server() else {
        return;
    };
    let (bucket, dir) = s3.bucket();
    let mut instance = Instance::new().await;
    instance.storage_url = Some(format!("s3://{bucket}/facetally"));
    instance.env = s3.env();
    instance.start().await;
    let (kept, gone) = (
        instance.upload("carphone_pristine.mp4").await,
        instance.upload("tree.avi").await,
    );
    for video in [&kept, &gone] {
        assert_eq!(
            instance.wait_final(&video.id, LIMIT).await.status,
            VideoStatus::Done
        );
    }
    instance.sigterm().await;
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!((code, findings(&report).len()), (0, 0), "{report:#}");
    assert_eq!(
        report["checked"]["objects"], 6,
        "two videos, their face boxes, one person's face crop and its episode picture: {report:#}"
    );

    let objects = dir.join("facetally");
    let orphan = format!("videos/{}/people/0.jpg", uuid::Uuid::now_v7());
    std::fs::create_dir_all(objects.join(&orphan).parent().unwrap()).unwrap();
    std::fs::write(objects.join(&orphan), b"a crop of a deleted video").unwrap();
    std::fs::remove_file(objects.join(format!("videos/{}/original.avi", gone.id))).unwrap();
    let all = [
        ("missing_file", gone.id.as_str()),
        ("orphan_object", orphan.as_str()),
    ];
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!(
        (code, findings(&report)),
        (1, expect(&all, "found")),
        "{report:#}"
    );
    let (code, report) = instance.fsck_json(&["--repair", "--grace-secs", "0"]);
    assert_eq!(
        (code, findings(&report)),
        (0, expect(&all, "repaired")),
        "{report:#}"
    );
    assert!(!objects.join(&orphan).exists(), "orphan deleted through S3");
    assert!(
        objects
            .join(format!("videos/{}/original.mp4", kept.id))
            .exists(),
        "an answered video's file is kept"
    );
    let (code, report) = instance.fsck_json(&["--grace-secs", "0"]);
    assert_eq!((code, findings(&report).len()), (0, 0), "{report:#}");
}
