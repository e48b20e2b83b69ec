//! One video in time segments, scanned by any number of workers at once and
//! merged into exactly the counts and people of one pass over the whole file.
//!
//! - [`plan_segments`] cuts the timeline into equal parts (one part when the
//!   file is short, or when [`seeking_is_trusted`] says its timestamps or
//!   seeking cannot be relied on, as with tree.avi).
//! - [`scan_segment`] counts the frames whose timestamp lies in its part. It
//!   seeks a little before the start (key frame, then decoding forward) and
//!   skips by timestamp, so no frame is counted twice or missed.
//! - People: a track never crosses a *quiet frame*, one with no face in the
//!   `max_gap_s` seconds before it (every track has ended there, whatever came
//!   before). Each segment follows people from the first quiet frame at or
//!   after its start to the first one at or after its end (it runs on past
//!   its end until it finds it), so the people parts fit together exactly.
//! - [`merge_segments`] checks that the parts meet (the first frame after
//!   each part is the next part's first frame, and the quiet frames agree)
//!   and adds them up; on any mismatch the caller scans the file in one pass.

mod board;
mod merge;
mod plan;
mod scan;

pub use board::SegmentBoard;
pub use merge::{merge_segments, MergedScan, SegmentMismatch};
pub use plan::{plan_segments, seeking_is_trusted, SegmentSpec};
pub use scan::{scan_segment, SegmentOutcome};
