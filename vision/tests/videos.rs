//! Whole-video scans: counts must equal REFERENCE.md exactly.

mod common;

use std::ops::ControlFlow;

use common::{detector, video};
use vision::{scan_video, ScanOutcome, ScanProgress, ScanTotals, VideoReader};

/// Scans a file, checking on every frame that progress and timestamps only go up.
fn scan(name: &str) -> (ScanOutcome, Vec<ScanProgress>) {
    let mut det = detector();
    let mut seen = Vec::new();
    let mut last_ts = f64::NEG_INFINITY;
    let outcome = scan_video(&video(name), &mut det, |frame, faces, p| {
        assert_eq!(frame.index, seen.len() as i64);
        assert!(
            frame.timestamp_s > last_ts,
            "{name}: timestamp {} after {last_ts}",
            frame.timestamp_s
        );
        assert_eq!(p.position_s, frame.timestamp_s);
        last_ts = frame.timestamp_s;
        if let Some(prev) = seen.last() {
            let prev: &ScanProgress = prev;
            assert!(p.progress >= prev.progress, "{name}: progress went back");
        }
        assert!((0.0..=99.0).contains(&p.progress));
        assert_eq!(p.totals.frames_processed, frame.index + 1);
        assert!(p.totals.max_faces_in_frame >= faces.len() as i64);
        seen.push(*p);
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(outcome.completed);
    assert_eq!(Some(&outcome.totals), seen.last().map(|p| &p.totals));
    (outcome, seen)
}

fn totals(frames: i64, faces: i64, max: i64, with: i64) -> ScanTotals {
    ScanTotals {
        frames_processed: frames,
        faces_total: faces,
        max_faces_in_frame: max,
        frames_with_faces: with,
    }
}

#[test]
fn carphone_one_face_in_each_of_120_frames() {
    let (out, seen) = scan("carphone_pristine.mp4");
    assert_eq!(out.totals, totals(120, 120, 1, 120));
    assert!(!out.ended_early);
    assert_eq!(
        (out.info.width, out.info.height, out.info.frame_count),
        (176, 144, Some(120))
    );
    // The last two frames read POS_MSEC 0 in OpenCV 4.6; the guard continues the timeline.
    let last = seen.last().unwrap().position_s;
    assert!((last - 119.0 / 29.97).abs() < 0.01, "{last}");
    assert!(seen.last().unwrap().progress > 95.0);
}

#[test]
fn tree_avi_lying_frame_count_still_reaches_the_end() {
    let (out, seen) = scan("tree.avi");
    assert_eq!(out.totals, totals(68, 0, 0, 0));
    assert_eq!(out.info.frame_count, Some(444));
    assert!(
        !out.ended_early,
        "tree.avi is complete, its header just lies"
    );
    let last = seen.last().unwrap();
    assert!(last.progress > 90.0, "progress stops at {}", last.progress);
    assert!(
        (last.position_s - 29.53).abs() < 0.05,
        "{}",
        last.position_s
    );
    // Smooth: no jump larger than the largest gap between timestamps (~1.6 s of 29.6).
    assert!(seen.windows(2).all(|w| w[1].progress - w[0].progress < 6.0));
}

#[test]
fn faces_mp4_reference_counts() {
    let (out, _) = scan("faces.mp4");
    assert_eq!(out.totals, totals(241, 545, 4, 226));
}

#[test]
fn megamind_reference_counts() {
    let (out, seen) = scan("Megamind.avi");
    assert_eq!(out.totals, totals(270, 365, 2, 269));
    // First frame reads 41.7 ms, last reads 0: guarded.
    assert!((seen[0].position_s - 0.0417).abs() < 0.001);
    assert!(seen[269].position_s > seen[268].position_s);
}

#[test]
fn break_stops_the_scan_at_once() {
    let mut det = detector();
    let mut calls = 0;
    let out = scan_video(&video("carphone_pristine.mp4"), &mut det, |_, _, p| {
        calls += 1;
        if p.totals.frames_processed == 5 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    })
    .unwrap();
    assert!(!out.completed);
    assert_eq!(calls, 5);
    assert_eq!(out.totals, totals(5, 5, 1, 5));
}

#[test]
fn reader_reads_every_frame_with_info() {
    let mut r = VideoReader::open(&video("Megamind.avi")).unwrap();
    let info = r.info().clone();
    assert_eq!(
        (info.width, info.height, info.frame_count),
        (720, 528, Some(270))
    );
    assert!((info.fps.unwrap() - 23.976).abs() < 0.001);
    assert!((info.duration_s.unwrap() - 11.261).abs() < 0.01);
    let mut n = 0;
    while let Some(f) = r.next_frame().unwrap() {
        assert_eq!((f.image.cols(), f.image.rows()), (720, 528));
        n += 1;
    }
    assert_eq!(n, 270);
    assert!(r.next_frame().unwrap().is_none());
}

use opencv::prelude::MatTraitConst;
