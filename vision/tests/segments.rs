//! One video in segments gives exactly what one pass gives: the same frame
//! and face counts, the same people, on the shared videos and on a longer
//! video made here with ffmpeg.

mod common;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{detector, models_dir, video};
use vision::{
    group_parts, merge_segments, plan_segments, scan_segment, scan_video_people,
    seeking_is_trusted, EmbedderConfig, EmbedderPreset, PeopleSettings, PeopleTracker, Person,
    ScanTotals, VideoReader,
};

fn settings() -> PeopleSettings {
    let preset = EmbedderPreset::MobileFaceNet;
    let model =
        vision::locate_model(Some(&models_dir()), preset.model_file()).expect("embedder model");
    PeopleSettings::new(EmbedderConfig::new(model, preset))
}

/// What people look like, reduced to what must be equal.
fn summary(people: &[Person]) -> Vec<(usize, Vec<(String, String)>)> {
    people
        .iter()
        .map(|p| {
            let spans = p
                .appearances
                .iter()
                .map(|s| (format!("{:.3}", s.start_s), format!("{:.3}", s.end_s)))
                .collect();
            (p.face_count, spans)
        })
        .collect()
}

fn single_pass(path: &Path) -> (ScanTotals, Vec<Person>) {
    let mut det = detector();
    let mut tracker = PeopleTracker::new(&settings()).unwrap();
    let out = scan_video_people(path, &mut det, &mut tracker, |_, _, _, _| {
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(out.completed);
    (out.totals, tracker.finish().unwrap())
}

/// Scans every segment of `segment_s` seconds (one after the other, each
/// with its own reader) and merges them.
fn segmented(path: &Path, segment_s: f64) -> (usize, ScanTotals, Vec<Person>) {
    let info = VideoReader::open(path).unwrap().info().clone();
    let plan = plan_segments(&info, segment_s);
    let mut det = detector();
    let mut tracker = PeopleTracker::new(&settings()).unwrap();
    let (mut outcomes, mut parts) = (Vec::new(), Vec::new());
    for spec in &plan {
        let out = scan_segment(path, spec, &mut det, Some(&mut tracker), |_, _| {
            ControlFlow::Continue(())
        })
        .unwrap();
        outcomes.push(out);
        parts.push(tracker.finish_part().unwrap());
    }
    let merged =
        merge_segments(&outcomes, true).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (plan.len(), merged.totals, group_parts(&parts, &settings()))
}

fn assert_same(path: &Path, segment_s: f64, min_segments: usize) {
    let (want_totals, want_people) = single_pass(path);
    let (segments, totals, people) = segmented(path, segment_s);
    assert!(
        segments >= min_segments,
        "{}: {segments} segments",
        path.display()
    );
    assert_eq!(totals, want_totals, "{}", path.display());
    assert_eq!(
        people.len(),
        want_people.len(),
        "{}: people",
        path.display()
    );
    assert_eq!(
        summary(&people),
        summary(&want_people),
        "{}",
        path.display()
    );
}

#[test]
fn shared_videos_in_segments_match_one_pass() {
    for (name, segment_s) in [
        ("faces.mp4", 2.5),
        ("carphone_pristine.mp4", 1.0),
        ("Megamind.avi", 3.0),
    ] {
        let path = video(name);
        assert!(seeking_is_trusted(&path).unwrap(), "{name}");
        assert_same(&path, segment_s, 3);
    }
}

#[test]
fn untrustworthy_timestamps_are_not_cut() {
    // tree.avi claims 444 frames at 15 fps and has 68, irregularly spaced.
    assert!(!seeking_is_trusted(&video("tree.avi")).unwrap());
}

/// faces.mp4 three times and Megamind.avi twice, at 640x360 (51 s), made with ffmpeg.
fn long_video(dir: &Path) -> PathBuf {
    let out = dir.join("long.mp4");
    let inputs = [
        "faces.mp4",
        "faces.mp4",
        "Megamind.avi",
        "faces.mp4",
        "Megamind.avi",
    ];
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-y"]);
    for name in inputs {
        cmd.arg("-i").arg(video(name));
    }
    let scaled: String = (0..inputs.len())
        .map(|i| format!("[{i}:v]scale=640:360,setsar=1,fps=25[v{i}];"))
        .collect();
    let joined: String = (0..inputs.len()).map(|i| format!("[v{i}]")).collect();
    let filter = format!("{scaled}{joined}concat=n={}:v=1:a=0[out]", inputs.len());
    let status = cmd
        .args([
            "-filter_complex",
            &filter,
            "-map",
            "[out]",
            "-c:v",
            "libx264",
        ])
        .args(["-preset", "veryfast", "-g", "50"])
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg failed");
    out
}

#[test]
fn long_generated_video_in_segments_matches_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let path = long_video(dir.path());
    assert!(seeking_is_trusted(&path).unwrap());
    assert_same(&path, 7.0, 7);
}
