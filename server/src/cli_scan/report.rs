//! How `facetally scan` shows its work: progress bars, the summary table, JSON.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

use super::FileResult;

pub(super) fn summary(frames: i64, faces: i64, people: Option<usize>) -> String {
    match people {
        Some(n) => format!("{frames} frames, {faces} faces, {n} people"),
        None => format!("{frames} frames, {faces} faces"),
    }
}

pub(super) fn new_bar(path: &Path) -> ProgressBar {
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

pub(super) fn running_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:30!} [{bar:30.cyan/blue}] {pos:>3}% {elapsed:>4} {msg}")
        .expect("bar template")
        .progress_chars("=> ")
}

pub(super) fn to_json(results: &[FileResult]) -> serde_json::Value {
    results
        .iter()
        .map(|r| {
            let mut v = serde_json::json!({
                "file": r.path.display().to_string(),
                "status": if r.result.is_ok() { "ok" } else { "error" },
                "seconds": r.elapsed.as_secs_f64(),
                "fps": r.fps(),
                "segments": r.segments,
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
pub(super) fn print_table(results: &[FileResult], people: bool) {
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
