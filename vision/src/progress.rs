//! Scan totals and a progress estimate that survives lying containers.

use crate::VideoInfo;

/// Face counts accumulated over the frames scanned so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScanTotals {
    /// Frames decoded and run through the detector.
    pub frames_processed: i64,
    /// Detections summed over all frames.
    pub faces_total: i64,
    /// Largest number of detections in one frame.
    pub max_faces_in_frame: i64,
    /// Frames with at least one detection.
    pub frames_with_faces: i64,
}

impl ScanTotals {
    /// Adds one frame with `faces` detections.
    pub fn add_frame(&mut self, faces: usize) {
        let n = faces as i64;
        self.frames_processed += 1;
        self.faces_total += n;
        self.max_faces_in_frame = self.max_faces_in_frame.max(n);
        if n > 0 {
            self.frames_with_faces += 1;
        }
    }

    /// Adds the totals of other frames (another segment of the same video).
    pub fn absorb(&mut self, other: &ScanTotals) {
        self.frames_processed += other.frames_processed;
        self.faces_total += other.faces_total;
        self.frames_with_faces += other.frames_with_faces;
        self.max_faces_in_frame = self.max_faces_in_frame.max(other.max_faces_in_frame);
    }
}

/// State of a scan after a frame.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScanProgress {
    /// Totals including this frame.
    pub totals: ScanTotals,
    /// Estimated progress, 0..100 (at most 99 until the scan has finished).
    pub progress: f64,
    /// Timestamp of this frame in seconds.
    pub position_s: f64,
}

/// Highest value reported before [`ProgressEstimator::finish`].
const CAP: f64 = 99.0;
/// When neither duration nor frame count is known, progress creeps towards
/// this value (reached only asymptotically) ...
const UNKNOWN_CEILING: f64 = 10.0;
/// ... and is at half of it after this many frames.
const UNKNOWN_HALF_FRAMES: f64 = 500.0;

/// Estimates scan progress in percent from the video info and each frame's
/// (index, timestamp).
///
/// Uses the timestamp (plus one frame duration) over the duration when the
/// duration is known, else frames over the claimed frame count, else a slow
/// creep that stays below 10 %. The result never goes backwards and stays at
/// or below 99 until [`finish`](Self::finish), which gives exactly 100.
#[derive(Debug, Clone)]
pub struct ProgressEstimator {
    duration_s: Option<f64>,
    frame_count: Option<i64>,
    frame_s: f64,
    current: f64,
}

impl ProgressEstimator {
    /// An estimator for a video with this info, at 0 %.
    pub fn new(info: &VideoInfo) -> Self {
        let duration_s = info.duration_s.filter(|d| d.is_finite() && *d > 0.0);
        let frame_count = info.frame_count.filter(|n| *n > 0);
        let frame_s = info
            .fps
            .filter(|f| f.is_finite() && *f > 0.0)
            .map_or(0.0, |f| 1.0 / f);
        Self {
            duration_s,
            frame_count,
            frame_s,
            current: 0.0,
        }
    }

    /// Takes a decoded frame (0-based index, timestamp in seconds) and
    /// returns the new progress.
    pub fn update(&mut self, index: i64, timestamp_s: f64) -> f64 {
        let estimate = if let Some(d) = self.duration_s {
            let t = if timestamp_s.is_finite() {
                timestamp_s.max(0.0)
            } else {
                0.0
            };
            (t + self.frame_s) / d * 100.0
        } else if let Some(n) = self.frame_count {
            (index + 1) as f64 / n as f64 * 100.0
        } else {
            let done = (index + 1).max(0) as f64;
            UNKNOWN_CEILING * done / (done + UNKNOWN_HALF_FRAMES)
        };
        if self.current < CAP && estimate.is_finite() {
            self.current = self.current.max(estimate.min(CAP));
        }
        self.current
    }

    /// Marks the scan complete: progress becomes exactly 100.
    pub fn finish(&mut self) -> f64 {
        self.current = 100.0;
        self.current
    }

    /// The current progress.
    pub fn progress(&self) -> f64 {
        self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TimestampGuard;

    fn info(fps: Option<f64>, frame_count: Option<i64>, duration_s: Option<f64>) -> VideoInfo {
        VideoInfo {
            width: 320,
            height: 240,
            fps,
            frame_count,
            duration_s,
        }
    }

    /// Runs the estimator over `ts` and checks monotonicity and the 99 cap.
    fn run(e: &mut ProgressEstimator, ts: &[f64]) -> Vec<f64> {
        let mut last = 0.0;
        ts.iter()
            .enumerate()
            .map(|(i, t)| {
                let p = e.update(i as i64, *t);
                assert!(p >= last && p <= 99.0, "{p} after {last}");
                last = p;
                p
            })
            .collect()
    }

    #[test]
    fn lying_frame_count_uses_timestamps() {
        // tree.avi: claims 444 frames at 15 fps (29.6 s), decodes 68 frames
        // with timestamps spread over 0..29.53 s.
        let mut e = ProgressEstimator::new(&info(Some(15.0), Some(444), Some(29.6)));
        let ts: Vec<f64> = (0..68).map(|i| i as f64 * 29.5333 / 67.0).collect();
        let p = run(&mut e, &ts);
        assert!(p[33] > 45.0 && p[33] < 55.0, "midway {}", p[33]);
        assert!(*p.last().unwrap() >= 98.0, "end {}", p.last().unwrap());
        // Smooth: no step bigger than a couple of frames' worth.
        assert!(p.windows(2).all(|w| w[1] - w[0] < 3.0));
        assert_eq!(e.finish(), 100.0);
    }

    #[test]
    fn unknown_duration_uses_frame_count() {
        let mut e = ProgressEstimator::new(&info(None, Some(200), None));
        let p = run(&mut e, &vec![0.0; 200]);
        assert!((p[99] - 50.0).abs() < 1e-9);
        assert_eq!(p[199], 99.0);
        // More frames than claimed: stays capped.
        assert_eq!(e.update(250, 0.0), 99.0);
        assert_eq!(e.finish(), 100.0);
    }

    #[test]
    fn nothing_known_stays_low() {
        let mut e = ProgressEstimator::new(&info(None, None, None));
        let p = run(&mut e, &vec![0.0; 10_000]);
        assert!(
            p[0] > 0.0 && p[9_999] < UNKNOWN_CEILING,
            "{} {}",
            p[0],
            p[9_999]
        );
        assert!(p[100] < p[9_999]);
        assert_eq!(e.finish(), 100.0);
    }

    #[test]
    fn zero_timestamps_at_end_never_go_backwards() {
        // 120 frames at 29.97 fps whose last two read 0 ms (B-frames).
        let fps = 29.97;
        let i = info(Some(fps), Some(120), Some(120.0 / fps));
        let mut raw: Vec<f64> = (0..120).map(|k| k as f64 / fps).collect();
        raw[118] = 0.0;
        raw[119] = 0.0;
        // Unguarded zeros: the estimate holds its value.
        let mut e = ProgressEstimator::new(&i);
        let p = run(&mut e, &raw);
        assert_eq!(p[119], p[117]);
        // Guarded: keeps moving up to the cap.
        let mut g = TimestampGuard::new(Some(fps));
        let guarded: Vec<f64> = raw.iter().map(|t| g.next(Some(t * 1000.0))).collect();
        let mut e = ProgressEstimator::new(&i);
        let p = run(&mut e, &guarded);
        assert!(p[119] > p[117] && p[119] == 99.0, "{} {}", p[117], p[119]);
    }

    #[test]
    fn finish_is_exactly_100_and_sticks() {
        let mut e = ProgressEstimator::new(&info(Some(25.0), Some(10), Some(0.4)));
        e.update(0, 0.0);
        assert_eq!(e.finish(), 100.0);
        assert_eq!(e.progress(), 100.0);
    }

    #[test]
    fn totals_accumulate() {
        let mut t = ScanTotals::default();
        for n in [0, 2, 1, 0, 4] {
            t.add_frame(n);
        }
        assert_eq!(
            t,
            ScanTotals {
                frames_processed: 5,
                faces_total: 7,
                max_faces_in_frame: 4,
                frames_with_faces: 3
            }
        );
    }

    #[test]
    fn serializes_with_field_names() {
        let p = ScanProgress {
            totals: ScanTotals {
                frames_processed: 3,
                ..Default::default()
            },
            progress: 12.5,
            position_s: 0.1,
        };
        let v = serde_json::to_value(p).unwrap();
        assert_eq!(v["totals"]["frames_processed"], 3);
        assert_eq!(v["progress"], 12.5);
        let back: ScanProgress = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
    }
}
