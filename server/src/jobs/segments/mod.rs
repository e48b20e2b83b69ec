//! One long video on every free job slot of every process. The process that claims the
//! video (its coordinator) cuts it into time segments stored in the database; any free slot
//! of any process takes the next segment of the earliest video under a claim of its own,
//! and stores the segment's counts and people there. When the last segment is done the
//! coordinator merges them into exactly the one-pass counts and people. Finished segments
//! outlive a pause, a shutdown or a crashed holder, so the next run continues from the
//! first unfinished one; a segment whose runner died is run again alone. If the segments
//! do not meet, or one fails, the coordinator scans the video in one pass instead.

mod coordinate;
mod lane;

use super::ProgressUpdate;
use crate::db::segments::{PlannedSegment, SegmentState, SegmentStatus};
use crate::timeline::ActivityUpdate;
use std::path::Path;
use vision::{FaceActivity, ScanTotals, SegmentSpec};

/// What a segment's runner stores once it is done: its outcome and its people.
type SegmentResult = (vision::SegmentOutcome, vision::PeoplePart);

/// The segments of a video worth cutting: longer than `segment_s`, with timestamps and
/// seeking to trust; each with its share of the video.
fn plan(path: &Path, segment_s: f64) -> Option<Vec<PlannedSegment>> {
    let info = vision::VideoReader::open(path).ok()?.info().clone();
    let duration = info.duration_s?;
    if segment_s.is_nan() || segment_s <= 0.0 || duration <= segment_s {
        return None;
    }
    if !vision::seeking_is_trusted(path).unwrap_or(false) {
        tracing::info!("timestamps or seeking of the file not reliable; scanning in one pass");
        return None;
    }
    let plan = vision::plan_segments(&info, segment_s);
    (plan.len() > 1).then(|| plan.iter().map(|s| planned(s, duration)).collect())
}

fn planned(spec: &SegmentSpec, duration: f64) -> PlannedSegment {
    let end = spec.end_s.unwrap_or(duration);
    PlannedSegment {
        idx: spec.index as i64,
        start_s: spec.start_s,
        end_s: spec.end_s,
        weight: ((end - spec.start_s) / duration * 100.0).max(0.0),
    }
}

/// The video's counts over its segments: totals summed (the largest frame taken), progress
/// weighted by each segment's share, a rough people count (the most any segment has seen).
fn aggregate(segments: &[SegmentState]) -> (ScanTotals, f64, i64) {
    let mut totals = ScanTotals::default();
    let mut progress = 0.0;
    let mut people = 0;
    for s in segments {
        let c = &s.counts;
        totals.absorb(&ScanTotals {
            frames_processed: c.frames_processed,
            faces_total: c.faces_total,
            max_faces_in_frame: c.max_faces_in_frame,
            frames_with_faces: c.frames_with_faces,
        });
        let share = if s.status == SegmentStatus::Done {
            100.0
        } else {
            c.progress
        };
        progress += s.weight * share / 100.0;
        people = people.max(c.people_so_far);
    }
    (totals, progress.clamp(0.0, 99.0), people)
}

/// Progress of a segmented run, never lower than what was already shown, with the faces per
/// second of its segments on one timeline (of a video `duration_s` long).
fn progress_of(
    segments: &[SegmentState],
    shown: f64,
    frames_at_start: i64,
    elapsed: std::time::Duration,
    duration_s: Option<f64>,
) -> ProgressUpdate {
    let (totals, progress, people) = aggregate(segments);
    let run_frames = (totals.frames_processed - frames_at_start).max(0);
    let per_second = FaceActivity::combine(segments.iter().filter_map(|s| s.activity.as_ref()));
    ProgressUpdate {
        totals,
        progress: progress.max(shown),
        processing_fps: run_frames as f64 / elapsed.as_secs_f64().max(1e-3),
        people_count: Some(people),
        activity: Some(ActivityUpdate::new(per_second, duration_s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::segments::SegmentCounts;

    fn state(status: SegmentStatus, weight: f64, progress: f64, faces: i64) -> SegmentState {
        SegmentState {
            idx: 0,
            status,
            weight,
            counts: SegmentCounts {
                progress,
                frames_processed: faces * 2,
                faces_total: faces,
                max_faces_in_frame: faces.min(3),
                frames_with_faces: faces,
                people_so_far: faces.min(2),
            },
            activity: Some(FaceActivity::new(0, vec![faces as u32])),
        }
    }

    #[test]
    fn weights_add_up_to_the_whole_video() {
        let info = vision::VideoInfo {
            width: 1,
            height: 1,
            fps: Some(25.0),
            frame_count: Some(2000),
            duration_s: Some(80.0),
        };
        let parts: Vec<_> = vision::plan_segments(&info, 30.0)
            .iter()
            .map(|s| planned(s, 80.0))
            .collect();
        let total: f64 = parts.iter().map(|p| p.weight).sum();
        assert!((total - 100.0).abs() < 1e-9, "{total}");
    }

    #[test]
    fn progress_is_weighted_summed_and_never_goes_back() {
        let segments = [
            state(SegmentStatus::Done, 50.0, 0.0, 10),
            state(SegmentStatus::Running, 25.0, 40.0, 4),
            state(SegmentStatus::Queued, 25.0, 0.0, 0),
        ];
        let update = progress_of(&segments, 0.0, 0, std::time::Duration::from_secs(1), None);
        assert!((update.progress - 60.0).abs() < 1e-9);
        assert_eq!(update.totals.faces_total, 14);
        let activity = update.activity.expect("faces per second");
        assert_eq!(activity.per_second, vec![14]);
        assert_eq!(update.totals.max_faces_in_frame, 3);
        let later = progress_of(&segments, 70.0, 0, std::time::Duration::from_secs(1), None);
        assert_eq!(later.progress, 70.0);
    }
}
