//! Which face boxes to draw over the playing video: the windows of boxes to fetch around
//! the playing position, and the frame shown at a time.

use crate::model::{BoxFrame, FaceBoxes};
use std::collections::HashMap;

/// Seconds of boxes fetched at once (`GET /api/videos/{id}/boxes`).
pub const WINDOW_S: f64 = 60.0;

/// How long a frame's boxes stay on screen when the frame rate is not known, seconds.
pub const DEFAULT_TOLERANCE_S: f64 = 0.2;

/// Fetched windows by number (window `k` covers `[60k, 60k + 60)` seconds).
pub type Windows = HashMap<u32, FaceBoxes>;

/// The number of the window holding `t`.
pub fn window_of(t: f64) -> u32 {
    (t.max(0.0) / WINDOW_S).floor() as u32
}

/// The query of window `k`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // the browser fetches
pub fn window_query(k: u32) -> String {
    let from = k as f64 * WINDOW_S;
    format!("from_s={from}&to_s={}", from + WINDOW_S)
}

/// The windows to have at `t`: its own, the next one (prefetched, if the video goes on),
/// and the previous one near its start (a frame just before the boundary may be showing).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // the browser fetches
pub fn windows_wanted(t: f64, duration_s: Option<f64>) -> Vec<u32> {
    let k = window_of(t);
    let mut wanted = vec![k];
    let next = k + 1;
    let length = duration_s.filter(|d| d.is_finite() && *d > 0.0);
    if length.is_none_or(|d| (next as f64) * WINDOW_S < d) {
        wanted.push(next);
    }
    if k > 0 && t - k as f64 * WINDOW_S < 1.0 {
        wanted.push(k - 1);
    }
    wanted
}

/// How long after its timestamp a frame is still the one shown: one and a half frame
/// durations, or [`DEFAULT_TOLERANCE_S`] without a frame rate.
pub fn tolerance(fps: Option<f64>) -> f64 {
    match fps.filter(|f| f.is_finite() && *f > 0.0) {
        Some(fps) => 1.5 / fps,
        None => DEFAULT_TOLERANCE_S,
    }
}

/// The latest frame at or before `t` (frames in time order), if it is at most `tolerance`
/// seconds old: frames with no face are not listed, so an older one is not on screen.
pub fn frame_at(frames: &[BoxFrame], t: f64, tolerance: f64) -> Option<&BoxFrame> {
    // A millisecond of slack: timestamps are rounded to milliseconds.
    let after = frames.partition_point(|f| f.t_s <= t + 1e-3);
    let frame = frames.get(after.checked_sub(1)?)?;
    (t - frame.t_s <= tolerance).then_some(frame)
}

/// The frame shown at `t` among the fetched windows.
pub fn shown_frame(windows: &Windows, t: f64, tolerance: f64) -> Option<BoxFrame> {
    let k = window_of(t);
    let found = windows
        .get(&k)
        .and_then(|w| frame_at(&w.frames, t, tolerance));
    let found = found.or_else(|| {
        let previous = windows.get(&k.checked_sub(1)?)?;
        frame_at(&previous.frames, t, tolerance)
    });
    found.cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FaceBox;

    fn frame(t_s: f64, faces: u32) -> BoxFrame {
        let face = FaceBox {
            x: 1,
            y: 2,
            w: 3,
            h: 4,
            person: Some(1),
        };
        BoxFrame {
            t_s,
            boxes: vec![face; faces as usize],
        }
    }

    #[test]
    fn the_frame_shown_is_the_latest_recent_one() {
        let frames = [frame(1.0, 1), frame(1.04, 2), frame(2.0, 3)];
        let tol = tolerance(Some(25.0));
        assert!((tol - 0.06).abs() < 1e-9);
        assert_eq!(frame_at(&frames, 1.0, tol).map(|f| f.boxes.len()), Some(1));
        assert_eq!(frame_at(&frames, 1.05, tol).map(|f| f.boxes.len()), Some(2));
        assert_eq!(
            frame_at(&frames, 1.0999, tol).map(|f| f.boxes.len()),
            Some(2)
        );
        // Frames after 1.04 had no face.
        assert_eq!(frame_at(&frames, 1.2, tol), None);
        assert_eq!(frame_at(&frames, 0.5, tol), None);
        // A position a hair before a frame's rounded timestamp shows that frame.
        assert_eq!(frame_at(&frames, 1.9995, tol).map(|f| f.t_s), Some(2.0));
        assert_eq!(tolerance(None), DEFAULT_TOLERANCE_S);
        assert_eq!(
            frame_at(&frames, 2.19, tolerance(Some(0.0))).map(|f| f.t_s),
            Some(2.0)
        );
        assert_eq!(frame_at(&[], 1.0, tol), None);
    }

    #[test]
    fn windows_cover_the_position_and_what_comes_next() {
        assert_eq!(window_of(59.99), 0);
        assert_eq!(window_of(60.0), 1);
        assert_eq!(window_query(1), "from_s=60&to_s=120");
        assert_eq!(windows_wanted(5.0, Some(9.6)), vec![0]);
        assert_eq!(windows_wanted(5.0, Some(100.0)), vec![0, 1]);
        assert_eq!(windows_wanted(5.0, None), vec![0, 1]);
        assert_eq!(windows_wanted(60.5, Some(100.0)), vec![1, 0]);
        assert_eq!(windows_wanted(70.0, Some(200.0)), vec![1, 2]);
    }

    #[test]
    fn a_frame_just_before_a_window_boundary_is_found() {
        let mut windows = Windows::new();
        let boxes = |from_s: f64, frames| FaceBoxes {
            width: 10,
            height: 10,
            from_s,
            to_s: from_s + WINDOW_S,
            frames,
        };
        windows.insert(0, boxes(0.0, vec![frame(59.98, 2)]));
        windows.insert(1, boxes(60.0, vec![frame(60.5, 1)]));
        assert_eq!(
            shown_frame(&windows, 60.01, 0.06).map(|f| f.t_s),
            Some(59.98)
        );
        assert_eq!(
            shown_frame(&windows, 60.51, 0.06).map(|f| f.t_s),
            Some(60.5)
        );
        assert_eq!(shown_frame(&windows, 61.0, 0.06), None);
    }
}
