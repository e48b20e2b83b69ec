//! Face detection on still images and video files, and distinct people per
//! video (face tracks, MobileFaceNet embeddings, clustering, head crops).
//!
//! Search photos ([`decode_photo`], [`detect_photo`], [`examine_face`],
//! [`QualityGate`]): an uploaded picture of a face, decoded within limits
//! checked on its header, its faces examined and poor ones refused.
//!
//! Plain synchronous Rust over OpenCV 4.6 (FFmpeg video backend, image
//! processing, `cv::FaceRecognizerSF::alignCrop`) and ONNX Runtime, which runs
//! the YuNet detector and the embedding network; OpenCV DNN
//! (`cv::FaceDetectorYN`, `cv::dnn`) is the fallback ([`Inference`]). ONNX
//! Runtime is a shared library loaded at run time (`scripts/setup.sh` installs
//! it; [`Inference`] says where it is looked for). No async runtime: callers
//! run the blocking functions on their own threads.
//!
//! Typical use:
//! ```no_run
//! use std::ops::ControlFlow;
//! use vision::{locate_model, scan_video, DetectorConfig, FaceDetector, DETECTOR_MODEL_FILE};
//! # fn main() -> Result<(), vision::VisionError> {
//! vision::use_single_thread();
//! let model = locate_model(None, DETECTOR_MODEL_FILE)?;
//! let mut detector = FaceDetector::new(&DetectorConfig::new(model))?;
//! let outcome = scan_video("clip.mp4".as_ref(), &mut detector, |_frame, _faces, p| {
//!     println!("{:.1}% {} faces so far", p.progress, p.totals.faces_total);
//!     ControlFlow::Continue(())
//! })?;
//! println!("{:?}", outcome.totals);
//! # Ok(()) }
//! ```
//!
//! People, with the detector above:
//! ```no_run
//! # use std::ops::ControlFlow;
//! # use vision::*;
//! # fn main() -> Result<(), VisionError> {
//! # let mut detector = FaceDetector::new(&DetectorConfig::new(locate_model(None, DETECTOR_MODEL_FILE)?))?;
//! let preset = EmbedderPreset::MobileFaceNet;
//! let settings = PeopleSettings::new(EmbedderConfig::new(locate_model(None, preset.model_file())?, preset));
//! let mut tracker = PeopleTracker::new(&settings)?;
//! scan_video_people("clip.mp4".as_ref(), &mut detector, &mut tracker, |_frame, _faces, _p, people_so_far| {
//!     println!("about {people_so_far} people so far");
//!     ControlFlow::Continue(())
//! })?;
//! for person in tracker.finish()? {
//!     println!("{} faces, first seen at {:.1} s", person.face_count, person.appearances[0].start_s);
//! }
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod detector;
mod error;
mod inference;
mod model;
mod people;
mod photo;
mod progress;
mod scan;
mod segment;
#[doc(hidden)]
pub mod testing;
mod timeline;
mod timestamp;
mod video;

pub use detector::{use_single_thread, Face, FaceDetector, MIN_INPUT_SIDE};
pub use error::VisionError;
pub use inference::{Inference, ORT_LIB_ENV};
pub use model::{locate_model, DetectorConfig, DETECTOR_MODEL_FILE, DETECTOR_MODEL_URL};
pub use people::{
    encode_jpeg, group_parts, head_crop, head_square, input_blob, is_frontal, is_usable,
    scan_video_people, sharpness, EmbedderConfig, EmbedderPreset, Embedding, FaceEmbedder,
    PeoplePart, PeopleSettings, PeopleTracker, Person, Preprocessing, Span, ALIGNED_SIZE,
};
pub use photo::{
    decode_photo, detect_photo, examine_face, DecodedPhoto, FaceQuality, LowQuality, PhotoError,
    PhotoFormat, PhotoLimits, QualityGate, MIN_DECODED_SIDE,
};
pub use progress::{ProgressEstimator, ScanProgress, ScanTotals};
pub use scan::{scan_video, ScanOutcome};
pub use segment::{
    merge_segments, plan_segments, scan_segment, seeking_is_trusted, MergedScan, SegmentBoard,
    SegmentMismatch, SegmentOutcome, SegmentSpec,
};
pub use timeline::{FaceActivity, TimedBox};
pub use timestamp::TimestampGuard;
pub use video::{probe, Frame, VideoInfo, VideoReader};

/// Re-export of the `opencv` crate, so callers use the same version for `Mat`.
pub use opencv;
