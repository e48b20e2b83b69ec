//! Progress of a video whose segments run at the same time.

use super::SegmentSpec;
use crate::{ScanProgress, ScanTotals, VideoInfo};

/// Adds up the running segments of one video: totals so far, and progress
/// weighted by each segment's length, so it never goes back.
#[derive(Debug, Clone)]
pub struct SegmentBoard {
    weights: Vec<f64>,
    progress: Vec<f64>,
    totals: Vec<ScanTotals>,
    people: Vec<usize>,
}

impl SegmentBoard {
    /// A board for `plan` (segments of a video with `info`), all at 0 %.
    pub fn new(plan: &[SegmentSpec], info: &VideoInfo) -> Self {
        let end = info.duration_s.unwrap_or(0.0);
        let weights = plan
            .iter()
            .map(|s| (s.end_s.unwrap_or(end) - s.start_s).max(1e-3))
            .collect();
        Self {
            weights,
            progress: vec![0.0; plan.len()],
            totals: vec![ScanTotals::default(); plan.len()],
            people: vec![0; plan.len()],
        }
    }

    /// Records segment `index`'s state (and its people estimate) and returns
    /// the video's.
    pub fn update(&mut self, index: usize, p: &ScanProgress, people: usize) -> ScanProgress {
        if let Some(slot) = self.progress.get_mut(index) {
            *slot = slot.max(p.progress);
            self.totals[index] = p.totals;
            self.people[index] = people;
        }
        self.current(p.position_s)
    }

    /// Marks segment `index` finished with its final totals.
    pub fn finish(&mut self, index: usize, totals: ScanTotals) {
        if let Some(slot) = self.progress.get_mut(index) {
            *slot = 100.0;
            self.totals[index] = totals;
        }
    }

    /// The video's state: summed totals, weighted progress (at most 99).
    pub fn current(&self, position_s: f64) -> ScanProgress {
        let mut totals = ScanTotals::default();
        self.totals.iter().for_each(|t| totals.absorb(t));
        let all: f64 = self.weights.iter().sum();
        let done: f64 = self
            .weights
            .iter()
            .zip(&self.progress)
            .map(|(w, p)| w * p)
            .sum();
        ScanProgress {
            totals,
            progress: (done / all.max(1e-9)).min(99.0),
            position_s,
        }
    }

    /// A rough number of people so far: the most any segment has seen
    /// (segments see different parts; the merge decides).
    pub fn people_so_far(&self) -> usize {
        self.people.iter().copied().max().unwrap_or(0)
    }
}
