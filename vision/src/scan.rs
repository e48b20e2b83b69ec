//! Scanning a whole video: decode every frame, detect, count.

use std::ops::ControlFlow;
use std::path::Path;

use crate::{
    Face, FaceDetector, Frame, ProgressEstimator, ScanProgress, ScanTotals, VideoInfo, VideoReader,
    VisionError,
};

/// Result of [`scan_video`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ScanOutcome {
    /// What the container says about the video.
    pub info: VideoInfo,
    /// Counts over the frames that were scanned.
    pub totals: ScanTotals,
    /// `false` when the callback stopped the scan before the end.
    pub completed: bool,
    /// `true` when a completed scan stopped decoding well before what the
    /// container announces: both the decoded frame count and the last
    /// timestamp are under 95 % of the header's frame count and duration.
    /// The file is then probably truncated or damaged, and the totals cover
    /// only its decodable part. (A lying frame count alone, as in tree.avi,
    /// does not set it.)
    pub ended_early: bool,
}

/// Decodes every frame of a video, runs the detector on it, updates the
/// totals and calls `on_frame` after each frame. Returning
/// [`ControlFlow::Break`] from the callback stops the scan at once
/// (`completed == false`).
///
/// Errors: [`VisionError::Open`] if the file is not a video,
/// [`VisionError::NoFrames`] if no frame could be decoded, or an OpenCV error.
pub fn scan_video(
    path: &Path,
    detector: &mut FaceDetector,
    mut on_frame: impl FnMut(&Frame, &[Face], &ScanProgress) -> ControlFlow<()>,
) -> Result<ScanOutcome, VisionError> {
    let mut reader = VideoReader::open(path)?;
    let info = reader.info().clone();
    let mut estimator = ProgressEstimator::new(&info);
    let mut totals = ScanTotals::default();
    let mut last_ts = 0.0;
    while let Some(frame) = reader.next_frame()? {
        let faces = detector.detect(&frame.image)?;
        last_ts = frame.timestamp_s;
        totals.add_frame(faces.len());
        let progress = ScanProgress {
            totals,
            progress: estimator.update(frame.index, frame.timestamp_s),
            position_s: frame.timestamp_s,
        };
        if on_frame(&frame, &faces, &progress).is_break() {
            return Ok(ScanOutcome {
                info,
                totals,
                completed: false,
                ended_early: false,
            });
        }
    }
    if totals.frames_processed == 0 {
        return Err(VisionError::NoFrames {
            path: path.to_path_buf(),
        });
    }
    let ended_early = ended_early(&info, totals.frames_processed, last_ts);
    Ok(ScanOutcome {
        info,
        totals,
        completed: true,
        ended_early,
    })
}

/// Share of the announced frames and duration under which a finished stream
/// counts as ended early.
const EARLY_END_SHARE: f64 = 0.95;

/// Whether decoding `frames` frames, the last at `last_ts` seconds, is well
/// short of both the frame count and the duration the container announces.
pub(crate) fn ended_early(info: &VideoInfo, frames: i64, last_ts: f64) -> bool {
    let (Some(count), Some(duration)) = (info.frame_count, info.duration_s) else {
        return false;
    };
    let frame_s = info.fps.map_or(0.0, |f| 1.0 / f);
    (frames as f64) < EARLY_END_SHARE * count as f64
        && last_ts + frame_s < EARLY_END_SHARE * duration
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(fps: f64, count: i64) -> VideoInfo {
        VideoInfo {
            width: 1,
            height: 1,
            fps: Some(fps),
            frame_count: Some(count),
            duration_s: Some(count as f64 / fps),
        }
    }

    #[test]
    fn early_end_needs_both_count_and_time_short() {
        // tree.avi: 68 of 444 frames, but timestamps reach the end.
        assert!(!ended_early(&info(15.0, 444), 68, 29.533));
        // faces.mp4 cut at 90 %: 215 of 241 frames, last at 8.56 s of 9.64 s.
        assert!(ended_early(&info(25.0, 241), 215, 8.56));
        // Complete file.
        assert!(!ended_early(&info(25.0, 241), 241, 9.6));
        // Unknown header values: never flagged.
        let mut i = info(25.0, 241);
        i.duration_s = None;
        assert!(!ended_early(&i, 10, 0.4));
    }
}
