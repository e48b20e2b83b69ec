//! Guarding the timestamps that OpenCV reports for decoded frames.

/// Turns raw `CAP_PROP_POS_MSEC` readings into a strictly increasing
/// timeline.
///
/// OpenCV 4.6 reads 0 ms on the last frame(s) of streams with B-frames, and
/// some containers give irregular or missing values. A reading is accepted
/// when it is finite, not negative and later than the previous timestamp;
/// otherwise the previous timestamp plus one frame duration (1/fps, or
/// 1/25 s when the frame rate is unknown) is used.
#[derive(Debug, Clone)]
pub struct TimestampGuard {
    step_s: f64,
    prev_s: Option<f64>,
}

/// Frame duration assumed when the container gives no usable frame rate.
const FALLBACK_STEP_S: f64 = 1.0 / 25.0;

impl TimestampGuard {
    /// A guard for a stream with the given frame rate (`None` if unknown).
    pub fn new(fps: Option<f64>) -> Self {
        let step_s = match fps {
            Some(f) if f.is_finite() && f > 0.0 => 1.0 / f,
            _ => FALLBACK_STEP_S,
        };
        Self {
            step_s,
            prev_s: None,
        }
    }

    /// The timestamp in seconds for the next frame, given the raw reading in
    /// milliseconds (`None` if it could not be read).
    pub fn next(&mut self, raw_ms: Option<f64>) -> f64 {
        let raw_s = raw_ms
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v / 1000.0);
        let ts = match (self.prev_s, raw_s) {
            (None, Some(t)) => t,
            (None, None) => 0.0,
            (Some(prev), Some(t)) if t > prev => t,
            (Some(prev), _) => prev + self.step_s,
        };
        self.prev_s = Some(ts);
        ts
    }

    /// The last timestamp returned, if any.
    pub fn last(&self) -> Option<f64> {
        self.prev_s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn zero_readings_at_end_continue_the_timeline() {
        // What OpenCV 4.6 reports for carphone_pristine.mp4's last frames.
        let mut g = TimestampGuard::new(Some(30.0));
        let raw = [0.0, 33.3, 66.7, 100.0, 0.0, 0.0];
        let out: Vec<f64> = raw.iter().map(|r| g.next(Some(*r))).collect();
        for (o, e) in out
            .iter()
            .zip([0.0, 0.0333, 0.0667, 0.1, 0.1 + 1.0 / 30.0, 0.1 + 2.0 / 30.0])
        {
            assert!(close(*o, e), "{out:?}");
        }
    }

    #[test]
    fn accepts_irregular_forward_jumps_and_first_nonzero() {
        let mut g = TimestampGuard::new(Some(15.0));
        assert!(close(g.next(Some(41.7)), 0.0417));
        assert!(close(g.next(Some(730.0)), 0.73));
        assert!(close(g.next(Some(1130.0)), 1.13));
    }

    #[test]
    fn missing_nan_negative_and_equal_readings_are_replaced() {
        let mut g = TimestampGuard::new(None);
        assert_eq!(g.next(None), 0.0);
        let a = g.next(Some(f64::NAN));
        let b = g.next(Some(-5.0));
        let c = g.next(Some(b * 1000.0));
        assert!(
            close(a, 0.04) && close(b, 0.08) && close(c, 0.12),
            "{a} {b} {c}"
        );
        let mut g = TimestampGuard::new(Some(f64::NAN));
        g.next(Some(0.0));
        assert!(close(g.next(Some(0.0)), 0.04));
    }

    #[test]
    fn strictly_increasing() {
        let mut g = TimestampGuard::new(Some(25.0));
        let raw = [0.0, 40.0, 20.0, 80.0, 80.0, 0.0, 1e9, 5.0];
        let mut last = -1.0;
        for r in raw {
            let t = g.next(Some(r));
            assert!(t > last);
            last = t;
        }
        assert_eq!(g.last(), Some(last));
    }
}
