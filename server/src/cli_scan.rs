//! `facetally scan FILE... [--json]`: scan local video files from the command
//! line, with one progress bar per file and a summary table (or JSON).
//!
//! Independent of the rest of the server: only `vision`, `anyhow`,
//! `indicatif` and `serde_json`. Files are scanned in parallel, one job per
//! CPU core, each job thread with its own detector and `use_single_thread()`.

use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use vision::{DetectorConfig, FaceDetector, ScanOutcome, VisionError};

/// Result of scanning one file.
struct FileResult {
    path: PathBuf,
    elapsed: Duration,
    result: Result<ScanOutcome, VisionError>,
}

impl FileResult {
    fn fps(&self) -> Option<f64> {
        let out = self.result.as_ref().ok()?;
        let secs = self.elapsed.as_secs_f64();
        (secs > 0.0).then(|| out.totals.frames_processed as f64 / secs)
    }

    fn status(&self) -> String {
        match &self.result {
            Ok(o) if o.ended_early => "ok, ended early (truncated or damaged file?)".into(),
            Ok(_) => "ok".into(),
            Err(e) => format!("error: {e}"),
        }
    }
}

/// Scans `files` and prints a summary table, or a JSON array with `json`.
/// Progress bars go to stderr (hidden when it is not a terminal).
/// Fails if the detector cannot be created, or after printing if any file failed.
pub fn run(files: &[PathBuf], json: bool, detector: &DetectorConfig) -> anyhow::Result<()> {
    if files.is_empty() {
        anyhow::bail!("no files given");
    }
    // Fail fast, before any bar, if the model is missing or unusable.
    vision::use_single_thread();
    let first = FaceDetector::new(detector)?;

    let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
    let queue: VecDeque<(usize, PathBuf, ProgressBar)> = files
        .iter()
        .enumerate()
        .map(|(i, path)| (i, path.clone(), multi.add(new_bar(path))))
        .collect();
    let queue = Arc::new(Mutex::new(queue));
    let results = Arc::new(Mutex::new(Vec::with_capacity(files.len())));

    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, files.len());
    let mut first = Some(first);
    let handles: Vec<_> = (0..jobs)
        .map(|_| {
            let (queue, results, cfg) = (queue.clone(), results.clone(), detector.clone());
            let det = first.take();
            std::thread::spawn(move || worker(det, &cfg, &queue, &results))
        })
        .collect();
    for h in handles {
        h.join().map_err(|_| anyhow::anyhow!("a scan thread panicked"))??;
    }
    multi.clear().ok();

    let mut results = std::mem::take(&mut *results.lock().expect("results lock"));
    results.sort_by_key(|(i, _)| *i);
    let results: Vec<FileResult> = results.into_iter().map(|(_, r)| r).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&to_json(&results))?);
    } else {
        print_table(&results);
    }
    let failed = results.iter().filter(|r| r.result.is_err()).count();
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be scanned", results.len());
    }
    Ok(())
}

type Queue = Mutex<VecDeque<(usize, PathBuf, ProgressBar)>>;
type Results = Mutex<Vec<(usize, FileResult)>>;

/// One job thread: takes files from the queue until it is empty.
fn worker(det: Option<FaceDetector>, cfg: &DetectorConfig, queue: &Queue, results: &Results) -> anyhow::Result<()> {
    vision::use_single_thread();
    let mut det = match det {
        Some(d) => d,
        None => FaceDetector::new(cfg)?,
    };
    loop {
        let Some((index, path, bar)) = queue.lock().expect("queue lock").pop_front() else {
            return Ok(());
        };
        let result = scan_one(&path, &mut det, &bar);
        results.lock().expect("results lock").push((index, result));
    }
}

fn scan_one(path: &Path, det: &mut FaceDetector, bar: &ProgressBar) -> FileResult {
    bar.set_style(running_style());
    bar.reset_elapsed();
    let start = Instant::now();
    let result = vision::scan_video(path, det, |_, _, p| {
        bar.set_position(p.progress as u64);
        bar.set_message(format!("{} frames, {} faces", p.totals.frames_processed, p.totals.faces_total));
        ControlFlow::Continue(())
    });
    let elapsed = start.elapsed();
    match &result {
        Ok(o) => {
            bar.set_position(100);
            bar.finish_with_message(format!("{} frames, {} faces", o.totals.frames_processed, o.totals.faces_total));
        }
        Err(e) => bar.abandon_with_message(format!("error: {e}")),
    }
    FileResult { path: path.to_path_buf(), elapsed, result }
}

fn new_bar(path: &Path) -> ProgressBar {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bar = ProgressBar::new(100).with_prefix(name).with_message("queued");
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
                Ok(o) => {
                    v["info"] = serde_json::json!(o.info);
                    v["totals"] = serde_json::json!(o.totals);
                    v["ended_early"] = o.ended_early.into();
                }
                Err(e) => v["error"] = e.to_string().into(),
            }
            v
        })
        .collect()
}

fn print_table(results: &[FileResult]) {
    let header = ["file", "frames", "faces total", "max in frame", "frames with faces", "fps", "status"];
    let rows: Vec<[String; 7]> = results
        .iter()
        .map(|r| {
            let t = r.result.as_ref().map(|o| o.totals).ok();
            let num = |f: fn(&vision::ScanTotals) -> i64| t.as_ref().map_or("-".into(), |t| f(t).to_string());
            [
                r.path.display().to_string(),
                num(|t| t.frames_processed),
                num(|t| t.faces_total),
                num(|t| t.max_faces_in_frame),
                num(|t| t.frames_with_faces),
                r.fps().map_or("-".into(), |f| format!("{f:.1}")),
                r.status(),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let last = i + 1 == cells.len();
            match i {
                0 => out.push_str(&format!("{cell:<w$}")),
                _ if last => out.push_str(&format!("  {cell}")),
                _ => out.push_str(&format!("  {cell:>w$}")),
            }
        }
        println!("{}", out.trim_end());
    };
    line(&header.map(String::from));
    line(&widths.map(|w| "-".repeat(w)));
    for row in &rows {
        line(row);
    }
}
