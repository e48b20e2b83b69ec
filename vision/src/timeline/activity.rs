//! Faces per second of video time, counted from scan progress.

use crate::ScanProgress;

/// Faces detected in the frames of each second of a video (or of one segment of it), built
/// from the progress a scan reports after every frame: what a frame adds to `faces_total`
/// is counted in the second of its timestamp, so the counts always add up to the scan's
/// `faces_total`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FaceActivity {
    /// The second `faces[0]` covers.
    pub start_s: u32,
    /// Faces in each second from `start_s` on.
    pub faces: Vec<u32>,
    /// `faces_total` at the last progress observed.
    #[serde(skip)]
    counted: i64,
}

impl FaceActivity {
    /// Counts `faces` from second `start_s` on (as stored).
    pub fn new(start_s: u32, faces: Vec<u32>) -> Self {
        Self {
            start_s,
            faces,
            counted: 0,
        }
    }

    /// Counts what the frame behind `progress` added (frames outside a segment's own part
    /// add nothing).
    pub fn observe(&mut self, progress: &ScanProgress) {
        let added = progress.totals.faces_total - self.counted;
        self.counted = progress.totals.faces_total;
        if added > 0 {
            self.add(
                progress.position_s,
                u32::try_from(added).unwrap_or(u32::MAX),
            );
        }
    }

    /// Adds `faces` to the second holding `t_s`.
    pub fn add(&mut self, t_s: f64, faces: u32) {
        let second = if t_s.is_finite() && t_s > 0.0 {
            t_s.floor().min(u32::MAX as f64) as u32
        } else {
            0
        };
        if self.faces.is_empty() {
            self.start_s = second;
        } else if second < self.start_s {
            let before = (self.start_s - second) as usize;
            self.faces.splice(0..0, std::iter::repeat_n(0, before));
            self.start_s = second;
        }
        let at = (second - self.start_s) as usize;
        if self.faces.len() <= at {
            self.faces.resize(at + 1, 0);
        }
        self.faces[at] = self.faces[at].saturating_add(faces);
    }

    /// The counts on a timeline from second 0 (entry `i` covers `[i, i + 1)`).
    pub fn faces_from_zero(&self) -> Vec<u32> {
        Self::combine([self])
    }

    /// All faces counted.
    pub fn total(&self) -> u64 {
        self.faces.iter().map(|&n| u64::from(n)).sum()
    }

    /// The counts of several parts of one video on one timeline from second 0 (entry `i`
    /// covers `[i, i + 1)`); a second two parts share gets both counts.
    pub fn combine<'a>(parts: impl IntoIterator<Item = &'a FaceActivity>) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        for part in parts {
            let start = part.start_s as usize;
            if out.len() < start + part.faces.len() {
                out.resize(start + part.faces.len(), 0);
            }
            for (slot, n) in out[start..].iter_mut().zip(&part.faces) {
                *slot = slot.saturating_add(*n);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScanTotals;

    fn progress(faces_total: i64, position_s: f64) -> ScanProgress {
        ScanProgress {
            totals: ScanTotals {
                faces_total,
                ..ScanTotals::default()
            },
            progress: 0.0,
            position_s,
        }
    }

    #[test]
    fn each_frame_adds_its_faces_to_its_second() {
        let mut a = FaceActivity::default();
        for (total, t) in [(0, 9.5), (2, 10.0), (3, 10.96), (3, 11.5), (5, 13.0)] {
            a.observe(&progress(total, t));
        }
        assert_eq!(a.start_s, 10);
        assert_eq!(a.faces, vec![3, 0, 0, 2]);
        assert_eq!(a.total(), 5);
    }

    #[test]
    fn an_earlier_second_is_put_in_front() {
        let mut a = FaceActivity::default();
        a.add(5.2, 1);
        a.add(2.0, 4);
        assert_eq!((a.start_s, a.faces.clone()), (2, vec![4, 0, 0, 1]));
    }

    #[test]
    fn parts_combine_on_one_timeline() {
        let first = FaceActivity {
            start_s: 0,
            faces: vec![1, 2, 3],
            counted: 0,
        };
        let second = FaceActivity {
            start_s: 2,
            faces: vec![10, 0, 5],
            counted: 0,
        };
        assert_eq!(
            FaceActivity::combine([&first, &second]),
            vec![1, 2, 13, 0, 5]
        );
        assert!(FaceActivity::combine([]).is_empty());
        let json = serde_json::to_string(&second).unwrap();
        assert_eq!(json, r#"{"start_s":2,"faces":[10,0,5]}"#);
    }
}
