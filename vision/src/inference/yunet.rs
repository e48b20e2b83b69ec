//! YuNet 2022mar on ONNX Runtime, fed and decoded as OpenCV 4.6's
//! `FaceDetectorYN` does: `blobFromImage` defaults (BGR, float, no mean, no
//! scale, NCHW) of the unpadded input, then [`priors`](super::priors) and
//! [`nms`](super::nms).

use std::path::PathBuf;

use opencv::core::{Mat, Size};
use opencv::prelude::*;
use ort::session::Session;
use ort::value::TensorRef;

use super::blob::fill_blob;
use super::nms::{int_rect, nms_boxes};
use super::onnx_shape::{make_dims_symbolic, make_output_dims_symbolic};
use super::priors::{self, Prior, Row};
use super::runtime;
use crate::{DetectorConfig, VisionError};

/// The session, the priors of the current input size and the input buffer.
pub(crate) struct OrtYuNet {
    session: Session,
    path: PathBuf,
    size: Size,
    priors: Vec<Prior>,
    blob: Vec<f32>,
    score_threshold: f32,
    nms_threshold: f32,
    top_k: i32,
}

impl OrtYuNet {
    /// Loads the model, with its input height and width made symbolic.
    /// Errors: [`VisionError::OrtUnavailable`], [`VisionError::ModelInvalid`].
    pub fn new(cfg: &DetectorConfig) -> Result<Self, VisionError> {
        let rt = runtime()?;
        let path = cfg.model_path.clone();
        let invalid = |reason: String| VisionError::ModelInvalid {
            path: path.clone(),
            runtime: rt.label(),
            reason,
        };
        let bytes = std::fs::read(&path).map_err(|e| invalid(format!("reading failed: {e}")))?;
        // A model without that fixed input (another network, or a YuNet whose
        // input is already symbolic) goes to ONNX Runtime as it is: it then
        // fails to load or fails the test detection with ONNX Runtime's reason.
        let model = make_dims_symbolic(&bytes, "input", &[(2, "height"), (3, "width")])
            .and_then(|m| {
                ["loc", "conf", "iou"].iter().try_fold(m, |m, out| {
                    make_output_dims_symbolic(&m, out, &[(0, "priors")])
                })
            })
            .inspect_err(|e| tracing::debug!(path = %path.display(), "shapes kept: {e}"))
            .unwrap_or(bytes);
        let session = rt
            .session(&model)
            .map_err(|e| invalid(format!("loading failed: {e}")))?;
        Ok(Self {
            session,
            path,
            size: Size::default(),
            priors: Vec::new(),
            blob: Vec::new(),
            score_threshold: cfg.score_threshold,
            nms_threshold: cfg.nms_threshold,
            top_k: cfg.top_k,
        })
    }

    /// Sets the input size (`FaceDetectorYN::setInputSize`): new priors.
    pub fn set_input_size(&mut self, size: Size) {
        if size != self.size {
            self.size = size;
            self.priors = priors::generate(size.width, size.height);
        }
    }

    /// Detects faces in a BGR 8-bit image of the input size; rows in input
    /// pixels, best first.
    pub fn detect(&mut self, bgr: &Mat) -> Result<Vec<Row>, VisionError> {
        let (w, h) = (self.size.width, self.size.height);
        if bgr.cols() != w || bgr.rows() != h || bgr.typ() != opencv::core::CV_8UC3 {
            return Err(VisionError::OpenCv(opencv::Error::new(
                opencv::core::StsBadArg,
                format!(
                    "expected a {w}x{h} BGR image, got {}x{}",
                    bgr.cols(),
                    bgr.rows()
                ),
            )));
        }
        fill_blob(bgr, &mut self.blob)?;
        let shape = [1usize, 3, h as usize, w as usize];
        let input =
            TensorRef::from_array_view((shape, &self.blob[..])).map_err(VisionError::ort)?;
        let outputs = self
            .session
            .run(ort::inputs!["input" => input])
            .map_err(VisionError::ort)?;
        let n = self.priors.len();
        let mut tensors = [&[][..]; 3];
        for (slot, (name, per_prior)) in
            tensors
                .iter_mut()
                .zip([("loc", 14), ("conf", 2), ("iou", 1)])
        {
            let value = outputs
                .get(name)
                .ok_or_else(|| VisionError::Ort(format!("the model has no output `{name}`")))?;
            let (_, data) = value
                .try_extract_tensor::<f32>()
                .map_err(VisionError::ort)?;
            if data.len() != n * per_prior {
                return Err(VisionError::UnexpectedOutput {
                    path: self.path.clone(),
                    output: name.into(),
                    expected: n * per_prior,
                    got: data.len(),
                });
            }
            *slot = data;
        }
        let [loc, conf, iou] = tensors;
        let threshold = self.score_threshold;
        if n == 1 {
            // OpenCV skips NMS (and the threshold) for a single candidate.
            return Ok(priors::decode(
                &self.priors,
                (loc, conf, iou),
                (w, h),
                |_| true,
            ));
        }
        let rows = priors::decode(&self.priors, (loc, conf, iou), (w, h), |s| s > threshold);
        let boxes: Vec<_> = rows.iter().map(|r| int_rect(r)).collect();
        let scores: Vec<f32> = rows.iter().map(|r| r[14]).collect();
        let kept = nms_boxes(&boxes, &scores, threshold, self.nms_threshold, self.top_k);
        Ok(kept.into_iter().map(|i| rows[i]).collect())
    }
}
