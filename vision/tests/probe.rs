//! `probe` and file-level errors on real and broken files.

mod common;

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;

use common::{detector, video};
use vision::{probe, scan_video, VisionError};

fn temp_with(bytes: &[u8], suffix: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::Builder::new().suffix(suffix).tempfile().unwrap();
    f.write_all(bytes).unwrap();
    f.flush().unwrap();
    f
}

/// The first `percent` % of a test video, in a temp file with the same extension.
fn truncated(name: &str, percent: usize) -> tempfile::NamedTempFile {
    let bytes = std::fs::read(video(name)).unwrap();
    let ext = Path::new(name).extension().unwrap().to_str().unwrap();
    temp_with(&bytes[..bytes.len() * percent / 100], &format!(".{ext}"))
}

#[test]
fn probe_reads_reference_info() {
    let i = probe(&video("faces.mp4")).unwrap();
    assert_eq!(
        (i.width, i.height, i.fps, i.frame_count),
        (1280, 720, Some(25.0), Some(241))
    );
    assert!((i.duration_s.unwrap() - 9.64).abs() < 1e-9);
    let i = probe(&video("tree.avi")).unwrap();
    assert_eq!(i.frame_count, Some(444));
    assert!((i.duration_s.unwrap() - 29.6).abs() < 0.01);
}

#[test]
fn probe_is_fast() {
    let t = std::time::Instant::now();
    probe(&video("faces.mp4")).unwrap();
    assert!(t.elapsed().as_millis() < 1000, "{:?}", t.elapsed());
}

#[test]
fn probe_rejects_text_zero_byte_and_missing_files() {
    let text = temp_with(b"this is not a video\n", ".mp4");
    assert!(matches!(probe(text.path()), Err(VisionError::Open { .. })));
    let empty = temp_with(b"", ".mp4");
    assert!(matches!(probe(empty.path()), Err(VisionError::Open { .. })));
    let err = probe(Path::new("/nonexistent/video.mp4")).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/video.mp4"), "{err}");
}

#[test]
fn probe_rejects_a_video_whose_frames_do_not_decode() {
    // faces.mp4 with its header (moov) intact and every media byte zeroed:
    // OpenCV opens it and announces 241 frames, but no frame decodes.
    let mut bytes = std::fs::read(video("faces.mp4")).unwrap();
    let mdat = bytes
        .windows(4)
        .position(|w| w == b"mdat")
        .expect("mdat box");
    for b in &mut bytes[mdat + 4..] {
        *b = 0;
    }
    let f = temp_with(&bytes, ".mp4");
    let err = probe(f.path()).unwrap_err();
    assert!(matches!(err, VisionError::NoFrames { .. }), "{err}");
    let mut det = detector();
    let err = scan_video(f.path(), &mut det, |_, _, _| ControlFlow::Continue(())).unwrap_err();
    assert!(matches!(err, VisionError::NoFrames { .. }), "{err}");
}

#[test]
fn truncated_carphone_moov_at_end_cannot_be_opened() {
    // carphone_pristine.mp4 keeps its index (moov) at the end: cut files do not open.
    let f = truncated("carphone_pristine.mp4", 90);
    assert!(matches!(probe(f.path()), Err(VisionError::Open { .. })));
}

/// Truncated files whose beginning decodes: probe accepts them (it only reads
/// the first frame); a scan decodes the intact part and flags `ended_early`.
#[test]
fn truncated_videos_that_still_decode_are_flagged_by_the_scan() {
    let mut det = detector();
    for (name, min_frames, max_frames) in [("faces.mp4", 40, 100), ("Megamind.avi", 50, 110)] {
        let f = truncated(name, 30);
        let info = probe(f.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let full = probe(&video(name)).unwrap();
        assert_eq!(
            info, full,
            "{name}: the header still announces the full video"
        );
        let out = scan_video(f.path(), &mut det, |_, _, _| ControlFlow::Continue(())).unwrap();
        let n = out.totals.frames_processed;
        assert!(out.completed && out.ended_early, "{name}: {out:?}");
        assert!((min_frames..=max_frames).contains(&n), "{name}: {n} frames");
    }
    // A complete file is not flagged.
    let out = scan_video(&video("carphone_pristine.mp4"), &mut det, |_, _, _| {
        ControlFlow::Continue(())
    })
    .unwrap();
    assert!(!out.ended_early);
}

#[test]
fn scan_of_a_non_video_is_an_open_error() {
    let text = temp_with(b"hello", ".avi");
    let mut det = detector();
    let err = scan_video(text.path(), &mut det, |_, _, _| ControlFlow::Continue(())).unwrap_err();
    assert!(matches!(err, VisionError::Open { .. }), "{err}");
}
