//! Face detection on still images and video files.
//!
//! Plain synchronous Rust over OpenCV 4.6 (FFmpeg video backend, YuNet face
//! detector via `cv::FaceDetectorYN`). No async runtime: callers run the
//! blocking functions on their own threads.
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

#![warn(missing_docs)]

mod detector;
mod error;
mod model;
mod people;
mod progress;
mod scan;
mod timestamp;
mod video;

pub use detector::{use_single_thread, Face, FaceDetector};
pub use error::VisionError;
pub use people::{
    encode_jpeg, head_crop, head_square, input_blob, is_frontal, is_usable, sharpness, EmbedderConfig, EmbedderPreset,
    Embedding, FaceEmbedder, PeopleSettings, PeopleTracker, Person, Preprocessing, Span, ALIGNED_SIZE, scan_video_people,
};
pub use model::{locate_model, DetectorConfig, DETECTOR_MODEL_FILE, DETECTOR_MODEL_URL};
pub use progress::{ProgressEstimator, ScanProgress, ScanTotals};
pub use scan::{scan_video, ScanOutcome};
pub use timestamp::TimestampGuard;
pub use video::{probe, Frame, VideoInfo, VideoReader};

/// Re-export of the `opencv` crate, so callers use the same version for `Mat`.
pub use opencv;
