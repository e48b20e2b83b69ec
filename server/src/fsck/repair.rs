//! `--repair`: each fix re-checks its finding first, so a change made meanwhile by a
//! running server is left alone (and reported `resolved`).

use super::{Finding, Kind, Outcome};
use crate::db::Db;
use crate::storage::Storage;

/// Repairs every finding in place, recording the outcome of each.
pub(super) async fn repair_all(db: &Db, storage: &Storage, findings: &mut [Finding]) {
    // An empty database next to stored objects is far more likely a wrong DATABASE_URL
    // than a bucket full of orphans: delete nothing then.
    let deletions_allowed = match db.has_records().await {
        Ok(has_records) => has_records,
        Err(error) => {
            tracing::error!(%error, "reading the database failed");
            false
        }
    };
    for finding in findings.iter_mut() {
        finding.outcome = match finding.kind {
            Kind::MissingFile => mark_missing(db, storage, &finding.subject).await,
            Kind::OrphanObject if !deletions_allowed => Outcome::Failed(
                "the database holds no video and no profile: refusing to delete objects (check DATABASE_URL and --data-dir)".into(),
            ),
            Kind::OrphanObject => delete_orphan(db, storage, &finding.subject).await,
            Kind::StuckProcessing => requeue(db, &finding.subject).await,
            Kind::TempFile => remove_temp_file(&finding.subject),
        };
        tracing::info!(kind = ?finding.kind, subject = %finding.subject, outcome = ?finding.outcome, "fsck repair");
    }
}

/// Marks the video `failed` if its file is still missing.
async fn mark_missing(db: &Db, storage: &Storage, id: &str) -> Outcome {
    let key = match db.video_storage_key(id).await {
        Ok(Some(key)) => key,
        Ok(None) => return Outcome::Resolved, // deleted meanwhile
        Err(error) => return failed("reading the video", error),
    };
    match storage.exists(&key).await {
        Ok(true) => return Outcome::Resolved,
        Ok(false) => {}
        Err(error) => return failed("checking storage", error),
    }
    match db.mark_file_missing(id).await {
        Ok(true) => Outcome::Repaired,
        Ok(false) => Outcome::Resolved,
        Err(error) => failed("marking the video failed", error),
    }
}

/// Deletes the object if still no row refers to it.
async fn delete_orphan(db: &Db, storage: &Storage, key: &str) -> Outcome {
    match db.key_in_use(key).await {
        Ok(true) => return Outcome::Resolved,
        Ok(false) => {}
        Err(error) => return failed("checking the key", error),
    }
    match storage.delete(key).await {
        Ok(()) => Outcome::Repaired,
        Err(error) => failed("deleting the object", error),
    }
}

/// Re-queues the video if it is still `processing` without a live lease.
async fn requeue(db: &Db, id: &str) -> Outcome {
    match db.requeue_stuck(id).await {
        Ok(true) => Outcome::Repaired,
        Ok(false) => Outcome::Resolved,
        Err(error) => failed("re-queueing", error),
    }
}

fn remove_temp_file(path: &str) -> Outcome {
    match std::fs::remove_file(path) {
        Ok(()) => Outcome::Repaired,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Outcome::Resolved,
        Err(error) => failed("removing the file", error),
    }
}

fn failed(what: &str, error: impl std::fmt::Display) -> Outcome {
    Outcome::Failed(format!("{what}: {error}"))
}
