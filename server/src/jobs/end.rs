//! How a job ends: the final write of its counts and status, and what the operator is told.

use super::{JobEnd, ProgressUpdate};
use crate::timeline::ActivityUpdate;
use app::model::VideoStatus;
use std::time::Duration;
use vision::{Person, ScanOutcome, ScanProgress, ScanTotals, TimedBox, VisionError};

/// What a finished scan found besides its counts.
pub(in crate::jobs) struct Found {
    /// The distinct people, in order of first appearance (their ordinals).
    pub people: Vec<Person>,
    /// Every face box of the video, in time order.
    pub boxes: Vec<TimedBox>,
}

/// What the blocking part of a job ends with.
pub(in crate::jobs) struct ScanEnd {
    pub result: Result<(ScanOutcome, Option<Found>), VisionError>,
    pub last: Option<ScanProgress>,
    pub people_count: Option<i64>,
    pub elapsed: Duration,
    /// Time segments the video was scanned in (1: one pass).
    pub segments: i64,
    /// Faces per second over what was scanned.
    pub activity: Option<ActivityUpdate>,
}

pub(super) fn progress_update(
    progress: &ScanProgress,
    elapsed: Duration,
    people_count: Option<i64>,
    activity: Option<ActivityUpdate>,
) -> ProgressUpdate {
    ProgressUpdate {
        totals: progress.totals,
        progress: progress.progress,
        processing_fps: progress.totals.frames_processed as f64 / elapsed.as_secs_f64().max(1e-3),
        people_count,
        activity,
    }
}

/// The final write of a job and, for a finished video, the people to store.
pub(super) fn job_end(scan: ScanEnd) -> (JobEnd, Option<Found>) {
    let activity = scan.activity;
    let last = scan
        .last
        .map(|p| progress_update(&p, scan.elapsed, scan.people_count, activity.clone()));
    match scan.result {
        Ok((outcome, people)) if outcome.completed => {
            let totals = outcome.totals;
            let end = JobEnd {
                // Counts of a damaged file cover only part of it: the operator must see that.
                status: if outcome.ended_early {
                    VideoStatus::Failed
                } else {
                    VideoStatus::Done
                },
                progress: ProgressUpdate {
                    totals,
                    progress: 100.0,
                    processing_fps: totals.frames_processed as f64
                        / scan.elapsed.as_secs_f64().max(1e-3),
                    people_count: scan.people_count,
                    activity,
                },
                error: outcome.ended_early.then(|| early_end_warning(&outcome)),
                // The real count replaces the container's claim, unless the file is cut short.
                frames_total: (!outcome.ended_early).then_some(totals.frames_processed),
                segments: Some(scan.segments),
            };
            (end, people)
        }
        Ok((outcome, _)) => {
            let progress = ProgressUpdate {
                totals: outcome.totals,
                ..last.unwrap_or(empty_progress())
            };
            (
                JobEnd {
                    status: VideoStatus::Cancelled,
                    progress,
                    error: None,
                    frames_total: None,
                    segments: None,
                },
                None,
            )
        }
        Err(error) => {
            tracing::error!(error = %error, "the job failed");
            (failed(&operator_message(&error), last), None)
        }
    }
}

/// What the operator is told about a failed job: the cause in plain words, without server
/// paths or OpenCV internals (those are logged).
fn operator_message(error: &VisionError) -> String {
    match error {
        VisionError::Open { .. } => {
            "the file could not be opened as a video (damaged or unsupported format)"
        }
        VisionError::NoFrames { .. } => {
            "no frame of the video could be decoded (damaged or truncated file)"
        }
        VisionError::ModelMissing { .. }
        | VisionError::ModelInvalid { .. }
        | VisionError::OrtUnavailable { .. } => {
            "the face models are missing or unusable on this server (details logged)"
        }
        VisionError::OpenCv(_) | VisionError::Ort(_) | VisionError::UnexpectedOutput { .. } => {
            "face detection failed on this video (internal error, details logged)"
        }
    }
    .into()
}

/// A video that stopped decoding well before its announced end fails, but keeps its counts
/// (and people), with this note saying what they cover.
fn early_end_warning(outcome: &ScanOutcome) -> String {
    let announced = outcome
        .info
        .frame_count
        .map_or_else(|| "?".into(), |n| n.to_string());
    format!(
        "the file is damaged or truncated: decoding stopped after {} of {announced} announced frames; the counts cover those frames only",
        outcome.totals.frames_processed
    )
}

pub(super) fn failed(message: &str, last: Option<ProgressUpdate>) -> JobEnd {
    JobEnd {
        status: VideoStatus::Failed,
        progress: last.unwrap_or(empty_progress()),
        error: Some(message.into()),
        frames_total: None,
        segments: None,
    }
}

pub(super) fn empty_progress() -> ProgressUpdate {
    ProgressUpdate {
        totals: ScanTotals::default(),
        progress: 0.0,
        processing_fps: 0.0,
        people_count: None,
        activity: None,
    }
}
