//! `facetally fsck`: compares the database with blob storage and the data dir, reports what
//! disagrees (files of videos that are gone, objects no row refers to, videos stuck
//! `processing` with no live lease, leftover temporary files) and, with `--repair`, fixes it.
//! Works on any pair `serve` supports (SQLite or PostgreSQL, local files or S3), also beside
//! running servers: recent objects are left alone, and every repair re-checks first.

mod inspect;
mod render;
mod repair;

use crate::config::FsckArgs;
use crate::db::Db;
use crate::storage::Storage;
use anyhow::Context;
use serde::Serialize;
use std::time::Duration;

/// What fsck found and did.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// Whether `--repair` was given.
    pub repair: bool,
    /// How much was looked at.
    pub checked: Checked,
    /// Every disagreement, with what became of it.
    pub findings: Vec<Finding>,
    /// Things worth knowing that are not problems (recent objects skipped, ...).
    pub notes: Vec<String>,
    /// True when nothing was found or everything found was repaired.
    pub consistent: bool,
}

/// Counts of what was compared.
#[derive(Debug, Default, Serialize)]
pub struct Checked {
    /// Video rows.
    pub videos: usize,
    /// Crop keys referred to by people and profiles.
    pub crops: usize,
    /// Objects listed in storage.
    pub objects: usize,
    /// Files in `<data dir>/incoming`.
    pub temp_files: usize,
}

/// One disagreement between the database and storage.
#[derive(Debug, Serialize)]
pub struct Finding {
    /// What kind of problem.
    pub kind: Kind,
    /// The video id, object key or file path concerned.
    pub subject: String,
    /// A readable explanation.
    pub detail: String,
    /// What became of it.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The kinds of problems fsck looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A video row whose uploaded file is not in storage; repair marks it `failed`.
    MissingFile,
    /// An object under `videos/` or `profiles/` that no row refers to; repair deletes it.
    OrphanObject,
    /// A video `processing` with no live lease; repair re-queues it.
    StuckProcessing,
    /// A leftover upload or download in `<data dir>/incoming`; repair removes it.
    TempFile,
}

/// What became of a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", content = "reason", rename_all = "snake_case")]
pub enum Outcome {
    /// Reported, not repaired (no `--repair`).
    Found,
    /// Fixed.
    Repaired,
    /// It no longer applied when the repair re-checked (changed by a running server).
    Resolved,
    /// The repair failed or was refused; the reason says why.
    Failed(String),
}

impl Outcome {
    /// True when nothing is left to do for this finding.
    pub fn settled(&self) -> bool {
        matches!(self, Self::Repaired | Self::Resolved)
    }
}

impl Report {
    /// Prints the report on stdout, as text or as JSON.
    pub fn print(&self, json: bool) {
        if json {
            match serde_json::to_string_pretty(self) {
                Ok(text) => println!("{text}"),
                Err(error) => eprintln!("error: rendering the report: {error}"),
            }
        } else {
            print!("{}", render::text(self));
        }
    }
}

/// Runs the check (and the repairs with `--repair`) with `serve`'s database and storage.
pub async fn run(args: &FsckArgs) -> anyhow::Result<Report> {
    let settings = &args.settings;
    let db = Db::connect(&database_url(settings)?).await?;
    let storage = Storage::connect(&settings.data_dir, settings.storage_url.as_deref())
        .await
        .context("opening blob storage")?;
    let grace = Duration::from_secs(args.grace_secs);
    let outcome = async {
        let mut report = inspect::inspect(&db, &storage, grace).await?;
        if args.repair {
            report.repair = true;
            repair::repair_all(&db, &storage, &mut report.findings).await;
        }
        report.consistent = report
            .findings
            .iter()
            .all(|finding| finding.outcome.settled());
        anyhow::Ok(report)
    }
    .await;
    db.close().await;
    outcome
}

/// The database to check. The embedded default must already exist: checking a new, empty
/// database would call every stored object an orphan.
fn database_url(settings: &crate::config::Settings) -> anyhow::Result<String> {
    if settings.database_url.is_some() {
        return Ok(settings.database_url());
    }
    let file = settings.data_dir.join("facetally.db");
    anyhow::ensure!(
        file.exists(),
        "no database at {}: point --data-dir (FACETALLY_DATA_DIR) or DATABASE_URL at the service's data",
        file.display()
    );
    Ok(format!("sqlite://{}", file.display()))
}
