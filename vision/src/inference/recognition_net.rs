//! The face recognition network behind [`crate::FaceEmbedder`], on either
//! runtime. Both take the same 1x3x112x112 blob ([`crate::input_blob`]).

use std::path::Path;

use opencv::core::Mat;
use opencv::dnn::{self, Net};
use opencv::prelude::*;
use ort::session::Session;
use ort::value::TensorRef;

use super::{runtime, Inference};
use crate::VisionError;

/// A recognition network on OpenCV DNN or ONNX Runtime.
pub(crate) enum RecognitionNet {
    /// `cv::dnn::Net`.
    OpenCv(Net),
    /// An ONNX Runtime session and the name of its (single) input.
    Ort(Box<Session>, String),
}

impl RecognitionNet {
    /// Loads the model on `inference`. Errors: [`VisionError::OrtUnavailable`];
    /// [`VisionError::ModelInvalid`] when the runtime cannot load it.
    pub fn new(path: &Path, inference: Inference) -> Result<Self, VisionError> {
        let invalid = |runtime: String, reason: String| VisionError::ModelInvalid {
            path: path.to_path_buf(),
            runtime,
            reason: format!("loading failed: {reason}"),
        };
        match inference {
            Inference::OpenCv => dnn::read_net_from_onnx(path.as_os_str())
                .map(Self::OpenCv)
                .map_err(|e| invalid(crate::error::opencv_runtime(), e.message)),
            Inference::Ort => {
                let rt = runtime()?;
                let bytes = std::fs::read(path).map_err(|e| invalid(rt.label(), e.to_string()))?;
                let session = rt
                    .session(&bytes)
                    .map_err(|e| invalid(rt.label(), e.to_string()))?;
                let input = session.inputs().first().map(|i| i.name().to_owned());
                let input =
                    input.ok_or_else(|| invalid(rt.label(), "the model has no input".into()))?;
                Ok(Self::Ort(Box::new(session), input))
            }
        }
    }

    /// The runtime and its version, for error messages.
    pub fn runtime_label(&self) -> String {
        match self {
            Self::OpenCv(_) => crate::error::opencv_runtime(),
            Self::Ort(..) => runtime().map_or_else(|_| "ONNX Runtime".into(), |rt| rt.label()),
        }
    }

    /// Runs the network on a float32 NCHW blob; returns its first output, flat.
    pub fn forward(&mut self, blob: &Mat) -> Result<Vec<f32>, VisionError> {
        match self {
            Self::OpenCv(net) => {
                net.set_input_def(blob)?;
                let out = net.forward_single_def()?;
                Ok(out.data_typed::<f32>()?.to_vec())
            }
            Self::Ort(session, input) => {
                let shape: Vec<usize> =
                    blob.mat_size().iter().map(|&d| d.max(0) as usize).collect();
                let data = blob.data_typed::<f32>()?;
                let tensor = TensorRef::from_array_view((shape, data)).map_err(VisionError::ort)?;
                let outputs = session
                    .run(ort::inputs![input.as_str() => tensor])
                    .map_err(VisionError::ort)?;
                if outputs.len() == 0 {
                    return Err(VisionError::Ort("the model returned no output".into()));
                }
                let (_, values) = outputs[0]
                    .try_extract_tensor::<f32>()
                    .map_err(VisionError::ort)?;
                Ok(values.to_vec())
            }
        }
    }
}
