//! `facetally scan FILE... [--json] [--jobs N]`: scan local video files from
//! the command line, with one progress bar per file and a summary table (or
//! JSON).
//!
//! Independent of the rest of the server: only `vision`, `anyhow`,
//! `indicatif` and `serde_json`. Every file is cut into time segments (a
//! long one into at least as many as there are jobs), and `--jobs` threads,
//! each with its own detector (and face embedder, when people are counted)
//! and `use_single_thread()`, take the segments in file order; a file's
//! results are merged when its last segment ends, so one long file uses
//! every core.

mod file;
mod report;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressDrawTarget};
use vision::{
    DetectorConfig, FaceDetector, PeopleSettings, PeopleTracker, ScanOutcome, VisionError,
};

use file::FileScan;

/// How `scan` divides its work.
#[derive(Debug, Clone, Copy)]
pub struct ScanOptions {
    /// Print JSON instead of a table.
    pub json: bool,
    /// Threads scanning at once (at least 1).
    pub jobs: usize,
    /// Longest segment, seconds.
    pub segment_secs: f64,
}

/// Result of scanning one file.
pub(crate) struct FileResult {
    path: PathBuf,
    elapsed: Duration,
    /// Time segments the file was scanned in (1: one pass).
    segments: usize,
    /// The outcome, and the number of distinct people when they were counted.
    result: Result<(ScanOutcome, Option<usize>), VisionError>,
}

impl FileResult {
    fn fps(&self) -> Option<f64> {
        let (out, _) = self.result.as_ref().ok()?;
        let secs = self.elapsed.as_secs_f64();
        (secs > 0.0).then(|| out.totals.frames_processed as f64 / secs)
    }

    fn status(&self) -> String {
        match &self.result {
            Ok((o, _)) if o.ended_early => "ok, ended early (truncated or damaged file?)".into(),
            Ok(_) => "ok".into(),
            Err(e) => format!("error: {e}"),
        }
    }
}

type Queue = Mutex<VecDeque<(Arc<FileScan>, vision::SegmentSpec)>>;

/// Scans `files` and prints a summary table, or a JSON array with `json`;
/// with `people`, also counts distinct people (a "people" column / field).
/// Progress bars go to stderr (hidden when it is not a terminal).
/// Fails if a model cannot be loaded, or after printing if any file failed.
pub fn run(
    files: &[PathBuf],
    options: ScanOptions,
    detector: &DetectorConfig,
    people: Option<&PeopleSettings>,
) -> anyhow::Result<()> {
    if files.is_empty() {
        anyhow::bail!("no files given");
    }
    // Fail fast, before any bar, if a model is missing or unusable.
    vision::use_single_thread();
    let first = FaceDetector::new(detector)?;
    let first_tracker = people.map(PeopleTracker::new).transpose()?;

    let jobs = options.jobs.max(1);
    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let scans: Vec<Arc<FileScan>> = files
        .iter()
        .map(|path| {
            let bar = multi.add(report::new_bar(path));
            Arc::new(FileScan::plan(
                path,
                bar,
                jobs,
                options.segment_secs,
                people.cloned(),
            ))
        })
        .collect();
    let queue: Queue = Mutex::new(
        scans
            .iter()
            .flat_map(|scan| scan.segments().into_iter().map(|s| (scan.clone(), s)))
            .collect(),
    );
    let threads = jobs.min(queue.lock().expect("queue lock").len()).max(1);
    let mut first = Some((first, first_tracker));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let models = first.take();
                let queue = &queue;
                scope.spawn(move || worker(models, detector, people, queue))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("a scan thread panicked"))?
            })
            .collect::<anyhow::Result<Vec<()>>>()
    })?;
    multi.clear().ok();

    let results: Vec<FileResult> = scans.iter().map(|s| s.take_result()).collect();
    if options.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report::to_json(&results))?
        );
    } else {
        report::print_table(&results, people.is_some());
    }
    let failed = results.iter().filter(|r| r.result.is_err()).count();
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be scanned", results.len());
    }
    Ok(())
}

/// One job thread: takes segments from the queue until it is empty. The
/// detector and the people tracker are kept from segment to segment.
fn worker(
    models: Option<(FaceDetector, Option<PeopleTracker>)>,
    cfg: &DetectorConfig,
    people: Option<&PeopleSettings>,
    queue: &Queue,
) -> anyhow::Result<()> {
    vision::use_single_thread();
    let (mut det, mut tracker) = match models {
        Some(m) => m,
        None => (
            FaceDetector::new(cfg)?,
            people.map(PeopleTracker::new).transpose()?,
        ),
    };
    loop {
        let Some((scan, spec)) = queue.lock().expect("queue lock").pop_front() else {
            return Ok(());
        };
        scan.run_segment(&spec, &mut det, tracker.as_mut());
    }
}
