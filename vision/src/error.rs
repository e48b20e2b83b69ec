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
    /// The model file exists but the inference runtime cannot load it or
    /// cannot run it.
    #[error("model `{}` is not usable with {runtime}: {reason}", .path.display())]
    ModelInvalid {
        /// The model file.
        path: PathBuf,
        /// The runtime and its version, e.g. "OpenCV 4.6.0" or "ONNX Runtime 1.32.0".
        runtime: String,
        /// What failed (loading or the test detection) and the runtime's message.
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
    /// ONNX Runtime was asked for (or is the default) but its shared library
    /// cannot be found or loaded.
    #[error("ONNX Runtime is not available ({reason}; searched: {}); install it with scripts/setup.sh, point FACETALLY_ORT_LIB at libonnxruntime.so, or set FACETALLY_INFERENCE=opencv", display_dirs(.searched))]
    OrtUnavailable {
        /// The library files and directories looked at, in order.
        searched: Vec<PathBuf>,
        /// Why the library is not usable (not found, or the loader's message).
        reason: String,
    },
    /// A network returned an output of another size than its input implies.
    #[error("unexpected output `{output}` of model `{}`: {got} values, expected {expected}", .path.display())]
    UnexpectedOutput {
        /// The model file.
        path: PathBuf,
        /// The output's name.
        output: String,
        /// Values expected from the input size.
        expected: usize,
        /// Values received.
        got: usize,
    },
    /// An error reported by ONNX Runtime while running a model.
    #[error("ONNX Runtime error: {0}")]
    Ort(String),
    /// Any other error reported by OpenCV.
    #[error("OpenCV error: {0}")]
    OpenCv(#[from] opencv::Error),
}

impl VisionError {
    /// Wraps an error of the `ort` crate (kept as text: `ort`'s error type is
    /// not `Sync`, and callers need no more than the message).
    pub(crate) fn ort<R>(e: ort::Error<R>) -> Self {
        Self::Ort(e.to_string())
    }
}

fn display_dirs(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// "OpenCV" and its version, for [`VisionError::ModelInvalid`].
pub(crate) fn opencv_runtime() -> String {
    let version = opencv::core::get_version_string().unwrap_or_else(|_| "(unknown version)".into());
    format!("OpenCV {version}")
}
