//! Distinct people per video: face tracks, embeddings, clustering, crops.
//!
//! [`PeopleTracker`] takes every frame right after detection. It links
//! detections into tracks by position, keeps a few good faces per track,
//! embeds them when the track ends (at most `samples_per_track` embeddings
//! per track, never every detection), and at the end groups the tracks into
//! people by embedding similarity.

mod appearance;
mod cluster;
mod crop;
mod cut;
mod embedder;
mod embedding;
mod grouping;
mod part;
mod sampler;
mod track;
mod tracker;

use std::ops::ControlFlow;
use std::path::Path;

use crate::{
    scan_video, Face, FaceDetector, Frame, ScanOutcome, ScanProgress, TimedBox, VisionError,
};

pub use appearance::Span;
pub use crop::{encode_jpeg, head_crop, head_square, is_frontal, is_usable, sharpness};
pub use embedder::{
    input_blob, EmbedderConfig, EmbedderPreset, FaceEmbedder, Preprocessing, ALIGNED_SIZE,
};
pub use embedding::Embedding;
pub use part::{group_parts, PeoplePart};
pub use tracker::PeopleTracker;

/// Settings of people grouping, with defaults chosen from measurements.
///
/// Measured with YuNet 2022mar at 0.9/0.3 and MobileFaceNet (PaddleX) on the
/// shared data (`/work/shared/models/SOURCES.md` for the pair statistics):
///
/// - `match_threshold` 0.40 (MobileFaceNet): over 5,187 same-person and 20,238
///   different-person face pairs (AUC 0.9995), the quality gate below gives a
///   same-person 5th percentile of 0.56 and a different-person maximum of 0.32:
///   0.40 lies in the gap (FAR 0, FRR 1.7 %). Here, between track embeddings
///   in faces.mp4: the two tracks of each of two women 0.78 and 0.85, different
///   people at most 0.10 (0.19 with the man seen only in profile); between
///   people: carphone's man, first half vs mirrored second half, 0.75;
///   faces.mp4's people vs him at most 0.11, vs each other at most 0.19. Cartoon faces
///   (Megamind.avi) are out of domain: characters score up to 0.58 apart.
/// - `min_faces` 3: Immich's default for a person; below it, stray detections.
/// - `min_face_width` 40 and the frontal test (nose between the eyes): the
///   quality gate of the measurements above. Profile and back-of-head faces
///   cause nearly all false rejects.
/// - `max_gap_s` 2.0: in faces.mp4 the man on the left turns away for 1.5 s
///   twice; with 1 s his 4.4 s on screen split into three tracks.
/// - `min_turned_track_s` 1.0: that man is only ever seen in profile (nose two
///   to four eye-distances outside the eyes) and still counts as a person; the
///   man seen from behind gives bursts of at most 5 frames (0.2 s) and does not.
///   faces.mp4 so gives 4 people (of 5; the fifth is seen from behind).
/// - `cut_threshold` 25: consecutive frames within a shot differ by at most 6.6
///   (of 255) in carphone, faces, vtest and Megamind, 19.8 in tree.avi (15 fps,
///   irregular frames); Megamind's three cuts differ by 41 to 46.
/// - `samples_per_track` 5, `sample_every_s` 2.0, `sample_interval_s` 0.1: an
///   embedding costs about 11 ms, as much as 4 frames of decoding and detection
///   at 176x144. carphone (one 4 s track) gets 2 embeddings; the bench measured
///   1.15x its decode+detect time (1.25x when the embedder is loaded per video),
///   faces.mp4 under 1.02x.
#[derive(Debug, Clone)]
pub struct PeopleSettings {
    /// The face embedding model.
    pub embedder: EmbedderConfig,
    /// Tracks whose embeddings have an average cosine similarity at or above
    /// this are one person. Default: [`EmbedderPreset::default_match_threshold`].
    pub match_threshold: f32,
    /// A person needs at least this many usable detections (default 3).
    pub min_faces: usize,
    /// Faces narrower than this (frame pixels) take no part in identity
    /// decisions (default 40).
    pub min_face_width: f32,
    /// A track survives this many seconds without a detection (default 2.0).
    pub max_gap_s: f64,
    /// A track with no usable face (wide enough faces, all turned away) is
    /// still a person if it has `min_faces` faces at least `min_face_width`
    /// wide and lasts this many seconds (default 1.0). Such tracks take no
    /// part in deciding who is who: they join the person they match best, or
    /// count on their own.
    pub min_turned_track_s: f64,
    /// Minimum IoU between a track's last box and a detection to link them
    /// (default 0.3); after a gap, a detection whose centre is within half a
    /// face width also links.
    pub min_iou: f32,
    /// Mean absolute difference (0..255) between 32x32 gray thumbnails of
    /// consecutive frames above which a scene cut ends every track (default 40).
    pub cut_threshold: f64,
    /// At most this many faces are embedded per track, spread over it, the
    /// best of each part (default 5).
    pub samples_per_track: usize,
    /// One embedding per this many seconds of track, at least one, at most
    /// `samples_per_track` (default 2.0): faces a few frames apart add little.
    pub sample_every_s: f64,
    /// A track's usable faces are examined (aligned, sharpness measured) at
    /// most once per this many seconds (default 0.1).
    pub sample_interval_s: f64,
    /// Appearances closer than this many seconds are merged (default 1.0).
    pub appearance_gap_s: f64,
    /// Head crops are this many times the face box (default 2.0)...
    pub crop_zoom: f32,
    /// ... and at most this many pixels wide (default 256).
    pub crop_max_side: i32,
}

impl PeopleSettings {
    /// Defaults, with the match threshold of the embedder's preset.
    pub fn new(embedder: EmbedderConfig) -> Self {
        Self {
            match_threshold: embedder.preset.default_match_threshold(),
            embedder,
            min_faces: 3,
            min_face_width: 40.0,
            max_gap_s: 2.0,
            min_turned_track_s: 1.0,
            min_iou: 0.3,
            cut_threshold: 25.0,
            samples_per_track: 5,
            sample_every_s: 2.0,
            sample_interval_s: 0.1,
            appearance_gap_s: 1.0,
            crop_zoom: 2.0,
            crop_max_side: 256,
        }
    }
}

/// One distinct person found in a video.
#[derive(Debug, Clone)]
pub struct Person {
    /// When the person is on screen, ordered, non-overlapping.
    pub appearances: Vec<Span>,
    /// Normalised mean of the person's face embeddings; compare with
    /// [`Embedding::cosine`] against `match_threshold` (also across videos).
    pub embedding: Embedding,
    /// Detections of this person (all of them, usable or not).
    pub face_count: usize,
    /// The boxes of those detections, in time order.
    pub boxes: Vec<TimedBox>,
    /// JPEG of the best head crop (square, at most `crop_max_side` px).
    pub crop_jpeg: Vec<u8>,
    /// One JPEG per appearance, same length and order as `appearances`: the
    /// best head crop of the person's tracks seen during that appearance
    /// (the person's own identified tracks first), else `crop_jpeg`.
    pub episode_crops: Vec<Vec<u8>>,
}

/// [`scan_video`] with people tracking: the tracker is reset, then every
/// frame goes to it right after detection, and `on_frame` also gets the
/// running estimate of people ([`PeopleTracker::people_so_far`]). Then call
/// [`PeopleTracker::finish`] or [`PeopleTracker::take_people`] for the people
/// (only meaningful if the scan completed).
///
/// Errors: those of [`scan_video`] and of [`PeopleTracker::observe`].
pub fn scan_video_people(
    path: &Path,
    detector: &mut FaceDetector,
    tracker: &mut PeopleTracker,
    mut on_frame: impl FnMut(&Frame, &[Face], &ScanProgress, usize) -> ControlFlow<()>,
) -> Result<ScanOutcome, VisionError> {
    tracker.reset();
    let mut failure = None;
    let outcome = scan_video(path, detector, |frame, faces, progress| {
        match tracker.observe(frame, faces) {
            Ok(()) => on_frame(frame, faces, progress, tracker.people_so_far()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(outcome),
    }
}
