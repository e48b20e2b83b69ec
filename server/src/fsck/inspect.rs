//! Finding disagreements: rows are read before storage is listed, so an upload recorded
//! meanwhile shows as a recent object (left alone), never as a missing file.

use super::{Finding, Kind, Outcome, Report};
use crate::db::fsck::{StuckVideo, FILE_MISSING_ERROR};
use crate::db::Db;
use crate::storage::Storage;
use crate::timeline::boxes_key;
use anyhow::Context;
use object_store::ObjectMeta;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// Top-level folders of facetally's keys: `videos/<id>/original.<ext>`,
/// `videos/<id>/people/<n>.jpg`, `videos/<id>/boxes.bin` and `profiles/<id>/crop.jpg`. Objects elsewhere (a shared
/// bucket) are not facetally's and are never touched.
const OWN_FOLDERS: [&str; 2] = ["videos/", "profiles/"];

/// Compares the database with storage and the incoming folder.
pub(super) async fn inspect(db: &Db, storage: &Storage, grace: Duration) -> anyhow::Result<Report> {
    let videos = db.video_files().await.context("reading videos")?;
    let crops = db.crop_keys().await.context("reading crop keys")?;
    let stuck = db
        .stuck_videos()
        .await
        .context("reading processing videos")?;
    let objects = storage.list_all().await.context("listing storage")?;
    let temp_files = incoming_files(storage).context("listing the incoming folder")?;
    let mut report = Report::default();
    report.checked.videos = videos.len();
    report.checked.crops = crops.len();
    report.checked.objects = objects.len();
    report.checked.temp_files = temp_files.len();

    let stored: HashSet<&str> = objects.iter().map(|meta| meta.location.as_ref()).collect();
    let mut missing = HashSet::new();
    for video in &videos {
        if stored.contains(video.storage_key.as_str()) {
            continue;
        }
        if video.status == "failed" && video.error.as_deref() == Some(FILE_MISSING_ERROR) {
            report.notes.push(format!(
                "video {} was marked failed earlier: its file is gone",
                video.id
            ));
            continue;
        }
        missing.insert(video.id.as_str());
        let detail = format!(
            "video ({}) refers to {}, which is not in storage",
            video.status, video.storage_key
        );
        report
            .findings
            .push(found(Kind::MissingFile, &video.id, detail));
    }
    let boxes: Vec<String> = videos.iter().map(|v| boxes_key(&v.id)).collect();
    let referenced: HashSet<&str> = videos
        .iter()
        .map(|v| v.storage_key.as_str())
        .chain(crops.iter().map(String::as_str))
        .chain(boxes.iter().map(String::as_str))
        .collect();
    orphans(&objects, &referenced, grace, &mut report);
    for video in stuck
        .iter()
        .filter(|video| !missing.contains(video.id.as_str()))
    {
        report
            .findings
            .push(found(Kind::StuckProcessing, &video.id, stuck_detail(video)));
    }
    stale_temp_files(temp_files, grace, &mut report);
    Ok(report)
}

fn found(kind: Kind, subject: &str, detail: String) -> Finding {
    Finding {
        kind,
        subject: subject.to_owned(),
        detail,
        outcome: Outcome::Found,
    }
}

/// Objects in facetally's folders that no row refers to, older than `grace`.
fn orphans(
    objects: &[ObjectMeta],
    referenced: &HashSet<&str>,
    grace: Duration,
    report: &mut Report,
) {
    let now = unix_now();
    let (mut recent, mut foreign) = (0, 0);
    for meta in objects {
        let key = meta.location.as_ref();
        if referenced.contains(key) {
            continue;
        }
        if !OWN_FOLDERS.iter().any(|folder| key.starts_with(folder)) {
            foreign += 1;
        } else if now - meta.last_modified.timestamp() < grace.as_secs() as i64 {
            recent += 1;
        } else {
            let detail = format!(
                "{} of {} bytes that no row refers to",
                object_kind(key),
                meta.size
            );
            report.findings.push(found(Kind::OrphanObject, key, detail));
        }
    }
    if recent > 0 {
        report.notes.push(format!(
            "{recent} unreferenced object(s) younger than {} s left alone (--grace-secs)",
            grace.as_secs()
        ));
    }
    if foreign > 0 {
        report.notes.push(format!("{foreign} object(s) outside videos/ and profiles/ are not facetally's and were ignored"));
    }
}

/// What an object is, from its key.
fn object_kind(key: &str) -> &'static str {
    let parts: Vec<&str> = key.split('/').collect();
    match parts.as_slice() {
        ["videos", _, name] if name.starts_with("original.") => "uploaded video file",
        ["videos", _, "people", _] => "face crop of a video's person",
        ["videos", _, "boxes.bin"] => "face boxes of a video",
        ["profiles", _, "crop.jpg"] => "profile face crop",
        _ => "object",
    }
}

fn stuck_detail(video: &StuckVideo) -> String {
    let worker = video.worker_id.as_deref().unwrap_or("no worker");
    match &video.lease_expires_at {
        Some(at) => format!("processing, held by {worker} whose lease expired at {at}"),
        None => format!("processing, held by {worker} without a lease"),
    }
}

/// Temporary files no live process owns (see `storage::incoming`), with size and age.
fn incoming_files(storage: &Storage) -> std::io::Result<Vec<(PathBuf, u64, Duration)>> {
    let mut files = Vec::new();
    for path in storage.incoming_leftovers()? {
        let meta = match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => meta,
            Ok(_) => continue,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        let age = meta
            .modified()
            .ok()
            .and_then(|at| at.elapsed().ok())
            .unwrap_or_default();
        files.push((path, meta.len(), age));
    }
    Ok(files)
}

/// Temp files older than `grace`: an upload in progress keeps writing to its file.
fn stale_temp_files(files: Vec<(PathBuf, u64, Duration)>, grace: Duration, report: &mut Report) {
    let mut recent = 0;
    for (path, size, age) in files {
        if age < grace {
            recent += 1;
            continue;
        }
        let detail = format!(
            "temporary file of {size} bytes, unchanged for {} s",
            age.as_secs()
        );
        report
            .findings
            .push(found(Kind::TempFile, &path.display().to_string(), detail));
    }
    if recent > 0 {
        report.notes.push(format!(
            "{recent} temp file(s) changed in the last {} s left alone (uploads in progress?)",
            grace.as_secs()
        ));
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
