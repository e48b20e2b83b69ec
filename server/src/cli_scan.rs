//! `facetally scan FILE... [--json]`: scan local video files from the command
//! line, with one progress bar per file and a summary table (or JSON).
//!
//! Independent of the rest of the server: only `vision`, `anyhow`,
//! `indicatif` and `serde_json`. Files are scanned in parallel, one job per
//! CPU core, each job thread with its own detector (and face embedder, when
//! people are counted) and `use_single_thread()`.

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use vision::{
    DetectorConfig, FaceDetector, PeopleSettings, PeopleTracker, ScanOutcome, VisionError,
};

/// Result of scanning one file.
struct FileResult {
    path: PathBuf,
    elapsed: Duration,
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

/// Scans `files` and prints a summary table, or a JSON array with `json`;
/// with `people`, also counts distinct people (a "people" column / field).
/// Progress bars go to stderr (hidden when it is not a terminal).
/// Fails if a model cannot be loaded, or after printing if any file failed.
pub fn run(
    files: &[PathBuf],
    json: bool,
    detector: &DetectorConfig,
    people: Option<&PeopleSettings>,
) -> anyhow::Result<()> {
    if files.is_empty() {
        anyhow::bail!("no files given");
    }
    // Fail fast, before any bar, if a model is missing or unusable.
    vision::use_single_thread();
    let first = FaceDetector::new(detector)?;
    let mut first_tracker = people.map(PeopleTracker::new).transpose()?;

    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let queue: VecDeque<(usize, PathBuf, ProgressBar)> = files
        .iter()
        .enumerate()
        .map(|(i, path)| (i, path.clone(), multi.add(new_bar(path))))
        .collect();
    let queue = Arc::new(Mutex::new(queue));
    let results = Arc::new(Mutex::new(Vec::with_capacity(files.len())));

    let jobs = crate::config::available_cores().clamp(1, files.len());
    let mut first = Some(first);
    let handles: Vec<_> = (0..jobs)
        .map(|_| {
            let (queue, results, cfg, people) = (
                queue.clone(),
                results.clone(),
                detector.clone(),
                people.cloned(),
            );
            let (det, tracker) = (first.take(), first_tracker.take());
            std::thread::spawn(move || {
                worker(det, tracker, &cfg, people.as_ref(), &queue, &results)
            })
        })
        .collect();
    for h in handles {
        h.join()
            .map_err(|_| anyhow::anyhow!("a scan thread panicked"))??;
    }
    multi.clear().ok();

    let mut results = std::mem::take(&mut *results.lock().expect("results lock"));
    results.sort_by_key(|(i, _)| *i);
    let results: Vec<FileResult> = results.into_iter().map(|(_, r)| r).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(&results))?);
    } else {
        print_table(&results, people.is_some());
    }
    let failed = results.iter().filter(|r| r.result.is_err()).count();
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be scanned", results.len());
    }
    Ok(())
}

type Queue = Mutex<VecDeque<(usize, PathBuf, ProgressBar)>>;
type Results = Mutex<Vec<(usize, FileResult)>>;

/// One job thread: takes files from the queue until it is empty. The people
/// tracker (when people are counted) is kept from file to file.
fn worker(
    det: Option<FaceDetector>,
    tracker: Option<PeopleTracker>,
    cfg: &DetectorConfig,
    people: Option<&PeopleSettings>,
    queue: &Queue,
    results: &Results,
) -> anyhow::Result<()> {
    vision::use_single_thread();
    let mut det = match det {
        Some(d) => d,
        None => FaceDetector::new(cfg)?,
    };
    let mut tracker = match (tracker, people) {
        (None, Some(settings)) => Some(PeopleTracker::new(settings)?),
        (tracker, _) => tracker,
    };
    loop {
        let Some((index, path, bar)) = queue.lock().expect("queue lock").pop_front() else {
            return Ok(());
        };
        let result = scan_one(&path, &mut det, tracker.as_mut(), &bar);
        results.lock().expect("results lock").push((index, result));
    }
}

fn scan_one(
    path: &Path,
    det: &mut FaceDetector,
    tracker: Option<&mut PeopleTracker>,
    bar: &ProgressBar,
) -> FileResult {
    bar.set_style(running_style());
    bar.reset_elapsed();
    let start = Instant::now();
    let show = |p: &vision::ScanProgress, people: Option<usize>| {
        bar.set_position(p.progress as u64);
        bar.set_message(summary(
            p.totals.frames_processed,
            p.totals.faces_total,
            people,
        ));
        ControlFlow::Continue(())
    };
    let result = match tracker {
        None => vision::scan_video(path, det, |_, _, p| show(p, None)).map(|o| (o, None)),
        Some(t) => vision::scan_video_people(path, det, t, |_, _, p, n| show(p, Some(n)))
            .and_then(|o| Ok((o, Some(t.take_people()?.len())))),
    };
    let elapsed = start.elapsed();
    match &result {
        Ok((o, people)) => {
            bar.set_position(100);
            bar.finish_with_message(summary(
                o.totals.frames_processed,
                o.totals.faces_total,
                *people,
            ));
        }
        Err(e) => bar.abandon_with_message(format!("error: {e}")),
    }
    FileResult {
        path: path.to_path_buf(),
        elapsed,
        result,
    }
}

fn summary(frames: i64, faces: i64, people: Option<usize>) -> String {
    match people {
        Some(n) => format!("{frames} frames, {faces} faces, {n} people"),
        None => format!("{frames} frames, {faces} faces"),
    }
}

fn new_bar(path: &Path) -> ProgressBar {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bar = ProgressBar::new(100)
        .with_prefix(name)
        .with_message("queued");
    bar.set_style(ProgressStyle::with_template("{prefix:30!} {msg}").expect("bar template"));
    bar
}

fn running_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:30!} [{bar:30.cyan/blue}] {pos:>3}% {elapsed:>4} {msg}")
        .expect("bar template")
        .progress_chars("=> ")
}

fn to_json(results: &[FileResult]) -> serde_json::Value {
    results
        .iter()
        .map(|r| {
            let mut v = serde_json::json!({
                "file": r.path.display().to_string(),
                "status": if r.result.is_ok() { "ok" } else { "error" },
                "seconds": r.elapsed.as_secs_f64(),
                "fps": r.fps(),
            });
            match &r.result {
                Ok((o, people)) => {
                    v["info"] = serde_json::json!(o.info);
                    v["totals"] = serde_json::json!(o.totals);
                    v["ended_early"] = o.ended_early.into();
                    if let Some(n) = people {
                        v["people"] = (*n).into();
                    }
                }
                Err(e) => v["error"] = e.to_string().into(),
            }
            v
        })
        .collect()
}

/// Prints the summary table; with `people`, a "people" column after the face counts.
fn print_table(results: &[FileResult], people: bool) {
    let mut header = vec![
        "file",
        "frames",
        "faces total",
        "max in frame",
        "frames with faces",
        "people",
        "fps",
        "status",
    ];
    if !people {
        header.remove(5);
    }
    let rows: Vec<Vec<String>> = results
        .iter()
        .map(|r| {
            let t = r.result.as_ref().map(|(o, _)| o.totals).ok();
            let num = |f: fn(&vision::ScanTotals) -> i64| {
                t.as_ref().map_or("-".into(), |t| f(t).to_string())
            };
            let mut row = vec![
                r.path.display().to_string(),
                num(|t| t.frames_processed),
                num(|t| t.faces_total),
                num(|t| t.max_faces_in_frame),
                num(|t| t.frames_with_faces),
                r.fps().map_or("-".into(), |f| format!("{f:.1}")),
                r.status(),
            ];
            if people {
                let n = r.result.as_ref().ok().and_then(|(_, n)| *n);
                row.insert(5, n.map_or("-".into(), |n| n.to_string()));
            }
            row
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, &w)) in cells.iter().zip(&widths).enumerate() {
            let last = i + 1 == cells.len();
            match i {
                0 => out.push_str(&format!("{cell:<w$}")),
                _ if last => out.push_str(&format!("  {cell}")),
                _ => out.push_str(&format!("  {cell:>w$}")),
            }
        }
        println!("{}", out.trim_end());
    };
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    line(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>());
    for row in &rows {
        line(row);
    }
}
