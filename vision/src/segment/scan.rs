//! Scanning one segment of a video (see the module docs of `segment`).

use std::ops::ControlFlow;
use std::path::Path;

use super::SegmentSpec;
use crate::{
    FaceDetector, PeopleTracker, ScanProgress, ScanTotals, VideoInfo, VideoReader, VisionError,
};

/// Seconds decoded before a segment's start beyond what people need.
const PREROLL_EXTRA_S: f64 = 1.0;
/// Shortest cap on the people-only run past a segment's end (otherwise one segment's
/// length): where faces never leave the screen for this long, following people past the
/// end would redo every later segment's work (quadratic in the video's length), so the
/// video is scanned in one pass instead.
pub const MIN_RUN_ON_S: f64 = 60.0;
/// Seeks tried, each this much earlier, when one lands after the pre-roll.
const SEEK_RETRIES: usize = 3;
const SEEK_BACK_S: f64 = 5.0;

/// What one segment found.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SegmentOutcome {
    /// The part scanned.
    pub spec: SegmentSpec,
    /// What the container says about the video.
    pub info: VideoInfo,
    /// Counts over the frames of this part only.
    pub totals: ScanTotals,
    /// Timestamp of the first frame of this part.
    pub first_ts: Option<f64>,
    /// Timestamp of the last frame of this part.
    pub last_ts: Option<f64>,
    /// Timestamp of the first frame after this part (the next part's first
    /// frame); `None` when the file ended first.
    pub next_ts: Option<f64>,
    /// The quiet frame people were followed from; `None` when there is none
    /// from this part's start to the end of the file.
    pub people_from_ts: Option<f64>,
    /// The quiet frame people were followed up to (not included); `None`
    /// for the end of the file.
    pub people_to_ts: Option<f64>,
    /// `false` when the callback stopped the scan.
    pub completed: bool,
    /// `true` when no quiet frame came within the run-on cap past the part's end (faces
    /// never left the screen for long): its people cannot be handed over exactly, so the
    /// video is scanned in one pass instead of doing every later segment's work again.
    #[serde(default)]
    pub run_on_capped: bool,
}

/// Where a quiet frame (no face in the `gap` seconds before it) can be
/// told from what was decoded.
struct Quiet {
    gap: f64,
    known_from: Option<f64>,
    last_face: Option<f64>,
}

impl Quiet {
    fn is_quiet(&self, ts: f64) -> bool {
        match (self.last_face, self.known_from) {
            (Some(face), _) => ts - face > self.gap,
            (None, Some(from)) => ts - from >= self.gap,
            (None, None) => true,
        }
    }

    fn saw(&mut self, ts: f64, faces: usize) {
        self.known_from.get_or_insert(ts);
        if faces > 0 {
            self.last_face = Some(ts);
        }
    }
}

/// Scans the frames of `spec`'s part of the video: counts the frames whose
/// timestamp lies in it and, with a tracker, follows people between the
/// quiet frames at or after its start and its end. The tracker is reset
/// first; take its part with [`PeopleTracker::finish_part`] afterwards.
/// `on_frame` gets the part's totals after every decoded frame (also those
/// of the pre-roll and of the people-only run past the end, so a stop is
/// seen within one frame), with progress 0..99 within the part, and the
/// tracker's running estimate.
pub fn scan_segment(
    path: &Path,
    spec: &SegmentSpec,
    detector: &mut FaceDetector,
    people: Option<&mut PeopleTracker>,
    on_frame: impl FnMut(&ScanProgress, usize) -> ControlFlow<()>,
) -> Result<SegmentOutcome, VisionError> {
    let cap = spec.end_s.map(|end| (end - spec.start_s).max(MIN_RUN_ON_S));
    scan_segment_capped(path, spec, cap, detector, people, on_frame)
}

/// [`scan_segment`] with the people-only run past the end capped at `run_on_s` seconds.
fn scan_segment_capped(
    path: &Path,
    spec: &SegmentSpec,
    run_on_s: Option<f64>,
    detector: &mut FaceDetector,
    mut people: Option<&mut PeopleTracker>,
    mut on_frame: impl FnMut(&ScanProgress, usize) -> ControlFlow<()>,
) -> Result<SegmentOutcome, VisionError> {
    let gap = people.as_ref().map_or(0.0, |p| p.max_gap_s());
    if let Some(p) = people.as_deref_mut() {
        p.reset();
    }
    let mut reader = VideoReader::open(path)?;
    let info = reader.info().clone();
    let mut pending = preroll(&mut reader, spec.start_s, gap)?;
    let mut out = SegmentOutcome {
        spec: *spec,
        info: info.clone(),
        totals: ScanTotals::default(),
        first_ts: None,
        last_ts: None,
        next_ts: None,
        people_from_ts: None,
        people_to_ts: None,
        completed: true,
        run_on_capped: false,
    };
    // Past the end, people are followed to the next quiet frame, but only so far.
    let run_on_cap = spec.end_s.zip(run_on_s).map(|(end, run_on)| end + run_on);
    let span_end = spec.end_s.or(info.duration_s).unwrap_or(f64::INFINITY);
    let mut quiet = Quiet {
        gap,
        known_from: None,
        last_face: None,
    };
    let mut tracking = spec.start_s <= 0.0 && people.is_some();
    loop {
        let frame = match pending.take() {
            Some(f) => f,
            None => match reader.next_frame()? {
                Some(f) => f,
                None => break,
            },
        };
        let ts = frame.timestamp_s;
        let past_end = spec.end_s.is_some_and(|end| ts >= end);
        if past_end && out.next_ts.is_none() {
            out.next_ts = Some(ts);
        }
        let is_quiet = quiet.is_quiet(ts);
        if past_end && (people.is_none() || is_quiet) {
            if people.is_some() {
                out.people_to_ts = Some(ts);
                out.people_from_ts.get_or_insert(ts);
            }
            break;
        }
        if run_on_cap.is_some_and(|cap| ts >= cap) {
            out.run_on_capped = true;
            break;
        }
        if people.is_some() && !tracking && ts >= spec.start_s && is_quiet {
            tracking = true;
        }
        let faces = detector.detect(&frame.image)?;
        quiet.saw(ts, faces.len());
        let mut so_far = 0;
        if let (true, Some(tracker)) = (tracking, people.as_deref_mut()) {
            out.people_from_ts.get_or_insert(ts);
            tracker.observe(&frame, &faces)?;
            so_far = tracker.people_so_far();
        }
        // Frames before the part (pre-roll) or after it (people only) are not counted.
        if ts >= spec.start_s && !past_end {
            out.first_ts.get_or_insert(ts);
            out.last_ts = Some(ts);
            out.totals.add_frame(faces.len());
        }
        let share = ((ts - spec.start_s) / (span_end - spec.start_s)).clamp(0.0, 0.99);
        let progress = ScanProgress {
            totals: out.totals,
            progress: if share.is_finite() {
                share * 100.0
            } else {
                0.0
            },
            position_s: ts,
        };
        if on_frame(&progress, so_far).is_break() {
            out.completed = false;
            break;
        }
    }
    Ok(out)
}

/// Seeks to `gap` + a second before `start` (nothing for the first part)
/// and returns the first frame read there; seeks earlier while the first
/// frame lands too late. A late landing that remains is caught by
/// [`merge_segments`](super::merge_segments) (the parts do not meet).
fn preroll(
    reader: &mut VideoReader,
    start: f64,
    gap: f64,
) -> Result<Option<crate::Frame>, VisionError> {
    if start <= 0.0 {
        return Ok(None);
    }
    let needed = start - gap;
    let mut target = (needed - PREROLL_EXTRA_S).max(0.0);
    for attempt in 0..=SEEK_RETRIES {
        reader.seek_to(target)?;
        let frame = reader.next_frame()?;
        match &frame {
            Some(f) if f.timestamp_s > needed && target > 0.0 && attempt < SEEK_RETRIES => {
                tracing::debug!(
                    target,
                    landed = f.timestamp_s,
                    "seek landed late; seeking earlier"
                );
                target = (target - SEEK_BACK_S).max(0.0);
            }
            _ => return Ok(frame),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{merge_segments, SegmentMismatch};
    use std::path::PathBuf;

    fn shared(path: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared")
            .join(path)
    }

    #[test]
    fn a_run_on_without_a_quiet_frame_stops_at_its_cap_and_the_merge_refuses() {
        let models = shared("models");
        let detector_model =
            crate::locate_model(Some(&models), crate::DETECTOR_MODEL_FILE).unwrap();
        let mut detector = FaceDetector::new(&crate::DetectorConfig::new(detector_model)).unwrap();
        let preset = crate::EmbedderPreset::MobileFaceNet;
        let embedder = crate::locate_model(Some(&models), preset.model_file()).unwrap();
        let settings = crate::PeopleSettings::new(crate::EmbedderConfig::new(embedder, preset));
        let mut tracker = PeopleTracker::new(&settings).unwrap();
        // faces.mp4 has faces in almost every frame: no quiet frame within 0.5 s of 2 s.
        let path = shared("data/videos/faces.mp4");
        let first = SegmentSpec {
            index: 0,
            start_s: 0.0,
            end_s: Some(2.0),
        };
        let out = scan_segment_capped(
            &path,
            &first,
            Some(0.5),
            &mut detector,
            Some(&mut tracker),
            |_, _| ControlFlow::Continue(()),
        )
        .unwrap();
        assert!(out.run_on_capped, "{out:?}");
        assert!(out.last_ts.is_some_and(|ts| ts < 2.0));
        let rest = SegmentSpec {
            index: 1,
            start_s: 2.0,
            end_s: None,
        };
        let second = scan_segment(&path, &rest, &mut detector, None, |_, _| {
            ControlFlow::Continue(())
        })
        .unwrap();
        assert_eq!(
            merge_segments(&[out, second], true),
            Err(SegmentMismatch::NoHandOver { index: 0 })
        );
    }
}
