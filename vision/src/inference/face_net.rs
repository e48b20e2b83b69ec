//! The YuNet network behind [`crate::FaceDetector`], on either runtime.

use opencv::core::{Mat, Ptr, Size};
use opencv::objdetect::FaceDetectorYN;
use opencv::prelude::*;

use super::priors::Row;
use super::{Inference, OrtYuNet};
use crate::{DetectorConfig, VisionError};

/// YuNet on ONNX Runtime or on OpenCV's `FaceDetectorYN`; both give the
/// same 15-value rows, best first, after NMS.
pub(crate) enum FaceNet {
    /// `cv::FaceDetectorYN` and its output buffer.
    OpenCv(Ptr<FaceDetectorYN>, Mat),
    /// ONNX Runtime, decoded in Rust.
    Ort(Box<OrtYuNet>),
}

impl FaceNet {
    /// Loads the model on the configured runtime.
    pub fn new(cfg: &DetectorConfig) -> Result<Self, VisionError> {
        match cfg.inference {
            Inference::Ort => Ok(Self::Ort(Box::new(OrtYuNet::new(cfg)?))),
            Inference::OpenCv => {
                let inner = FaceDetectorYN::create(
                    &cfg.model_path.to_string_lossy(),
                    "",
                    Size::new(160, 120),
                    cfg.score_threshold,
                    cfg.nms_threshold,
                    cfg.top_k,
                    0,
                    0,
                )
                .map_err(|e| VisionError::ModelInvalid {
                    path: cfg.model_path.clone(),
                    runtime: crate::error::opencv_runtime(),
                    reason: format!("loading failed: {}", e.message),
                })?;
                Ok(Self::OpenCv(inner, Mat::default()))
            }
        }
    }

    /// The runtime and its version, for error messages.
    pub fn runtime_label(&self) -> String {
        match self {
            Self::OpenCv(..) => crate::error::opencv_runtime(),
            Self::Ort(_) => {
                super::runtime().map_or_else(|_| "ONNX Runtime".into(), |rt| rt.label())
            }
        }
    }

    /// Sets the size of the images to come.
    pub fn set_input_size(&mut self, size: Size) -> Result<(), VisionError> {
        match self {
            Self::OpenCv(inner, _) => inner.set_input_size(size)?,
            Self::Ort(net) => net.set_input_size(size),
        }
        Ok(())
    }

    /// Detects faces in a BGR image of the input size; rows in its pixels.
    pub fn detect(&mut self, bgr: &Mat) -> Result<Vec<Row>, VisionError> {
        match self {
            Self::Ort(net) => net.detect(bgr),
            Self::OpenCv(inner, output) => {
                inner.detect(bgr, output)?;
                if output.rows() > 0 && output.cols() != 15 {
                    return Err(VisionError::OpenCv(opencv::Error::new(
                        opencv::core::StsError,
                        format!(
                            "unexpected output shape {}x{} (expected N x 15)",
                            output.rows(),
                            output.cols()
                        ),
                    )));
                }
                let mut rows = Vec::with_capacity(output.rows().max(0) as usize);
                for r in 0..output.rows() {
                    let v = output.at_row::<f32>(r)?;
                    let mut row = [0f32; 15];
                    row.copy_from_slice(&v[..15]);
                    rows.push(row);
                }
                Ok(rows)
            }
        }
    }
}
