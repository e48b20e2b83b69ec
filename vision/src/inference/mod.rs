//! The inference runtime of the detector and the embedder: ONNX Runtime by
//! default, OpenCV DNN as the fallback. Chosen once per process and logged.

mod blob;
mod face_net;
mod library;
mod nms;
mod onnx_shape;
mod priors;
mod recognition_net;
mod runtime;
mod yunet;

use std::sync::{Once, OnceLock};

pub(crate) use face_net::FaceNet;
pub use library::ORT_LIB_ENV;
pub(crate) use recognition_net::RecognitionNet;
pub(crate) use runtime::runtime;
pub(crate) use yunet::OrtYuNet;

use crate::VisionError;

/// Which runtime runs the networks.
///
/// ONNX Runtime is loaded at run time (`dlopen`) from, in order:
/// `$FACETALLY_ORT_LIB` (a file), the newest `libonnxruntime.so*` in
/// `${FACETALLY_TOOLS_DIR:-$HOME/.cache/facetally/tools}/onnxruntime/` (where
/// `scripts/setup.sh` installs it), `/usr/local/lib`, `/usr/lib`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inference {
    /// ONNX Runtime (about 2x faster than OpenCV 4.6 DNN for YuNet).
    Ort,
    /// OpenCV DNN (`cv::FaceDetectorYN`, `cv::dnn`), always available.
    OpenCv,
}

impl Inference {
    /// Parses `"ort"` or `"opencv"` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ort" | "onnxruntime" => Some(Self::Ort),
            "opencv" => Some(Self::OpenCv),
            _ => None,
        }
    }

    /// ONNX Runtime if its library loads, else OpenCV DNN, saying why in one
    /// warning (once per process).
    pub fn automatic() -> Self {
        match runtime() {
            Ok(_) => Self::Ort,
            Err(e) => {
                static WARNED: Once = Once::new();
                WARNED.call_once(|| tracing::warn!("using OpenCV DNN for inference: {e}"));
                Self::OpenCv
            }
        }
    }

    /// The runtime to use: `requested`, or [`automatic`](Self::automatic)
    /// without a request. An explicit [`Inference::Ort`] whose library does
    /// not load is an error ([`VisionError::OrtUnavailable`]), so a server
    /// fails at start rather than on its first video. The first successful
    /// call makes the process's choice: it is logged (info) and becomes
    /// [`Inference::default`], so later configurations follow it without
    /// loading (or warning about) ONNX Runtime again.
    pub fn resolve(requested: Option<Self>) -> Result<Self, VisionError> {
        let chosen = match requested {
            Some(Self::Ort) => runtime().map(|_| Self::Ort)?,
            Some(Self::OpenCv) => Self::OpenCv,
            None => Self::automatic(),
        };
        CHOSEN.get_or_init(|| {
            match chosen {
                Self::Ort => {
                    if let Ok(rt) = runtime() {
                        let library = rt.path.display();
                        tracing::info!(%library, "inference runtime: {}", rt.label());
                    }
                }
                Self::OpenCv => {
                    tracing::info!("inference runtime: {}", crate::error::opencv_runtime())
                }
            }
            chosen
        });
        Ok(chosen)
    }
}

/// The choice of the first [`Inference::resolve`] of the process.
static CHOSEN: OnceLock<Inference> = OnceLock::new();

/// The process's choice if [`Inference::resolve`] made one, else
/// [`Inference::automatic`]: ONNX Runtime when it loads, else OpenCV DNN.
impl Default for Inference {
    fn default() -> Self {
        CHOSEN.get().copied().unwrap_or_else(Self::automatic)
    }
}

impl std::fmt::Display for Inference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Ort => "ort",
            Self::OpenCv => "opencv",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        assert_eq!(Inference::parse(" ORT "), Some(Inference::Ort));
        assert_eq!(Inference::parse("opencv"), Some(Inference::OpenCv));
        assert_eq!(Inference::parse("tensorrt"), None);
        for i in [Inference::Ort, Inference::OpenCv] {
            assert_eq!(Inference::parse(&i.to_string()), Some(i));
        }
    }
}
