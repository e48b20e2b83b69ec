//! Adding segment results up, after checking that the parts meet exactly.

use super::SegmentOutcome;
use crate::{ScanOutcome, ScanTotals};

/// The merged counts of all segments: what one pass over the file gives.
pub type MergedScan = ScanOutcome;

/// Why segment results cannot be merged; scan the file in one pass instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SegmentMismatch {
    /// No results, or not one per segment in order.
    #[error("segment results are missing or out of order")]
    Incomplete,
    /// Segment `index` did not start at the frame where the one before it stopped.
    #[error("segment {index} starts at {found:?} s, the one before it ends before {expected:?} s")]
    Frames {
        /// The later segment.
        index: usize,
        /// The first frame after the earlier segment.
        expected: Option<f64>,
        /// The later segment's first frame.
        found: Option<f64>,
    },
    /// Segment `index` found no quiet frame to hand its people over within its run-on cap.
    #[error("segment {index} found no quiet frame to hand people over past its end")]
    NoHandOver {
        /// The segment.
        index: usize,
    },
    /// The quiet frames where people are handed over differ.
    #[error(
        "segment {index} follows people from {found:?} s, the one before it up to {expected:?} s"
    )]
    People {
        /// The later segment.
        index: usize,
        /// Where the earlier segment stopped following people.
        expected: Option<f64>,
        /// Where the later one started.
        found: Option<f64>,
    },
}

/// Adds up the segments of one video (in segment order, all completed):
/// frame and face counts are summed, the largest frame taken. `people`
/// says whether the segments followed people (their hand-over frames are
/// then checked too).
pub fn merge_segments(
    parts: &[SegmentOutcome],
    people: bool,
) -> Result<MergedScan, SegmentMismatch> {
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return Err(SegmentMismatch::Incomplete);
    };
    let in_order = parts
        .iter()
        .enumerate()
        .all(|(i, p)| p.spec.index == i && p.completed);
    if !in_order || last.spec.end_s.is_some() {
        return Err(SegmentMismatch::Incomplete);
    }
    if let Some(capped) = parts.iter().find(|p| p.run_on_capped) {
        return Err(SegmentMismatch::NoHandOver {
            index: capped.spec.index,
        });
    }
    for (i, pair) in parts.windows(2).enumerate() {
        let (before, after) = (&pair[0], &pair[1]);
        if before.next_ts != after.first_ts {
            return Err(SegmentMismatch::Frames {
                index: i + 1,
                expected: before.next_ts,
                found: after.first_ts,
            });
        }
        if people && before.people_to_ts != after.people_from_ts {
            return Err(SegmentMismatch::People {
                index: i + 1,
                expected: before.people_to_ts,
                found: after.people_from_ts,
            });
        }
    }
    let mut totals = ScanTotals::default();
    parts.iter().for_each(|p| totals.absorb(&p.totals));
    let last_ts = parts.iter().rev().find_map(|p| p.last_ts).unwrap_or(0.0);
    Ok(ScanOutcome {
        info: first.info.clone(),
        totals,
        completed: true,
        ended_early: crate::scan::ended_early(&first.info, totals.frames_processed, last_ts),
    })
}
