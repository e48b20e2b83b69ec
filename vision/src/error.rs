//! The error type of the crate.

use std::path::PathBuf;

/// Everything that can go wrong in this crate. The messages are meant to be
/// shown to an operator as they are.
#[derive(Debug, thiserror::Error)]
pub enum VisionError {
    /// The model file could not be found.
    #[error("model file `{file}` not found (searched: {}); download it from {hint}", display_dirs(.searched))]
    ModelMissing {
        /// The file name that was looked for.
        file: String,
        /// The directories (or full paths) that were searched, in order.
        searched: Vec<PathBuf>,
        /// Where to get the file.
        hint: String,
    },
    /// The model file exists but OpenCV cannot load it or cannot run it.
    #[error("model `{}` is not usable with this OpenCV ({}): {reason}", .path.display(), opencv_version())]
    ModelInvalid {
        /// The model file.
        path: PathBuf,
        /// What failed (loading or the test detection) and OpenCV's message.
        reason: String,
    },
    /// The file cannot be opened as a video (missing, unreadable, not a video
    /// or an unsupported format).
    #[error("cannot open `{}` as a video (missing, unreadable, not a video, or unsupported format)", .path.display())]
    Open {
        /// The file.
        path: PathBuf,
    },
    /// The file opened as a video but not a single frame could be decoded.
    #[error("no decodable video frames in `{}` (damaged, truncated or empty video)", .path.display())]
    NoFrames {
        /// The file.
        path: PathBuf,
    },
    /// Any other error reported by OpenCV.
    #[error("OpenCV error: {0}")]
    OpenCv(#[from] opencv::Error),
}

fn display_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn opencv_version() -> String {
    opencv::core::get_version_string().unwrap_or_else(|_| "unknown version".into())
}
