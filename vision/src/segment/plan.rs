//! Cutting a video's timeline into segments, and whether it can be cut at all.

use std::path::Path;

use crate::{VideoInfo, VideoReader, VisionError};

/// One part of a video's timeline: frames with `start_s <= timestamp < end_s`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SegmentSpec {
    /// 0-based position among the video's segments.
    pub index: usize,
    /// First timestamp of the part, seconds (0 for the first part).
    pub start_s: f64,
    /// End of the part, exclusive; `None` for the last part (to the end of the file).
    pub end_s: Option<f64>,
}

impl SegmentSpec {
    /// The whole video as one segment.
    pub fn whole() -> Self {
        Self {
            index: 0,
            start_s: 0.0,
            end_s: None,
        }
    }
}

/// Segments of about `segment_s` seconds covering the video, all of the
/// same length; one segment when the duration is unknown or not longer than
/// `segment_s` (or `segment_s` is not positive).
pub fn plan_segments(info: &VideoInfo, segment_s: f64) -> Vec<SegmentSpec> {
    let Some(duration) = info.duration_s.filter(|d| d.is_finite() && *d > 0.0) else {
        return vec![SegmentSpec::whole()];
    };
    if segment_s.is_nan() || segment_s <= 0.0 || duration <= segment_s {
        return vec![SegmentSpec::whole()];
    }
    let count = (duration / segment_s).ceil() as usize;
    let step = duration / count as f64;
    (0..count)
        .map(|index| SegmentSpec {
            index,
            start_s: index as f64 * step,
            end_s: (index + 1 < count).then(|| (index + 1) as f64 * step),
        })
        .collect()
}

/// Whether the file's timestamps and seeking can be relied on for segments:
/// the container gives a frame rate and a duration, a seek to the middle
/// lands within a second of it, and the frames that follow are one frame
/// duration apart (irregular frames, as in tree.avi, which claims 444 frames
/// and has 68, are not trusted). Reads a few frames only.
pub fn seeking_is_trusted(path: &Path) -> Result<bool, VisionError> {
    let mut reader = VideoReader::open(path)?;
    let info = reader.info().clone();
    let (Some(fps), Some(duration)) = (info.fps, info.duration_s) else {
        return Ok(false);
    };
    let step = 1.0 / fps;
    let target = (duration / 2.0).max(0.0);
    reader.seek_to(target)?;
    let mut stamps = Vec::with_capacity(4);
    while stamps.len() < 4 {
        match reader.next_frame()? {
            Some(frame) => stamps.push(frame.timestamp_s),
            None => break,
        }
    }
    if stamps.len() < 4 || (stamps[0] - target).abs() > 1.0 {
        return Ok(false);
    }
    let regular = stamps
        .windows(2)
        .all(|w| ((w[1] - w[0]) - step).abs() <= 0.5 * step);
    Ok(regular)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(duration: Option<f64>) -> VideoInfo {
        VideoInfo {
            width: 1,
            height: 1,
            fps: Some(25.0),
            frame_count: duration.map(|d| (d * 25.0) as i64),
            duration_s: duration,
        }
    }

    #[test]
    fn short_or_unknown_is_one_segment() {
        assert_eq!(
            plan_segments(&info(Some(9.6)), 60.0),
            vec![SegmentSpec::whole()]
        );
        assert_eq!(plan_segments(&info(None), 1.0), vec![SegmentSpec::whole()]);
        assert_eq!(
            plan_segments(&info(Some(90.0)), 0.0),
            vec![SegmentSpec::whole()]
        );
    }

    #[test]
    fn long_is_cut_into_equal_parts_that_cover_it() {
        let plan = plan_segments(&info(Some(79.5)), 30.0);
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[0].start_s, 0.0);
        assert_eq!(plan[2].end_s, None);
        for pair in plan.windows(2) {
            assert_eq!(pair[0].end_s, Some(pair[1].start_s));
            assert!((pair[1].start_s - pair[0].start_s - 26.5).abs() < 1e-9);
        }
    }
}
