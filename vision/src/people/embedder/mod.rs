//! Face embedder: `FaceRecognizerSF::alignCrop` then a recognition network.
//!
//! Both presets align the face the same way (5-point ArcFace template) and
//! run the network on ONNX Runtime or `cv::dnn` ([`crate::Inference`]); they
//! differ only in how the aligned 112x112 BGR face becomes the input tensor
//! ([`Preprocessing`]).

use std::path::PathBuf;

use opencv::core::{Mat, Ptr, Scalar, CV_8UC3};
use opencv::objdetect::FaceRecognizerSF;
use opencv::prelude::*;

use crate::inference::RecognitionNet;
use crate::{Embedding, Face, Inference, VisionError};

mod preset;
pub use preset::{input_blob, EmbedderPreset, Preprocessing};

/// Side of the aligned face crop and of the network input, in pixels.
pub const ALIGNED_SIZE: i32 = 112;

/// Which model to load and where it is.
#[derive(Debug, Clone)]
pub struct EmbedderConfig {
    /// Path of the ONNX model (see [`crate::locate_model`] and
    /// [`EmbedderPreset::model_file`]).
    pub model_path: PathBuf,
    /// Which model it is: decides the preprocessing and default threshold.
    pub preset: EmbedderPreset,
    /// The runtime that runs the network (alignment is OpenCV's either way).
    pub inference: Inference,
}

impl EmbedderConfig {
    /// A configuration with the default runtime ([`Inference::default`]).
    pub fn new(model_path: PathBuf, preset: EmbedderPreset) -> Self {
        Self {
            model_path,
            preset,
            inference: Inference::default(),
        }
    }
}

/// A loaded and verified face embedder. Create one per job thread (`Send`).
pub struct FaceEmbedder {
    preset: EmbedderPreset,
    aligner: Ptr<FaceRecognizerSF>,
    net: RecognitionNet,
    dim: usize,
    made: usize,
}

impl std::fmt::Debug for FaceEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceEmbedder")
            .field("preset", &self.preset)
            .field("dim", &self.dim)
            .finish()
    }
}

impl FaceEmbedder {
    /// Loads the model and proves it with one embedding of a synthetic face.
    ///
    /// Errors: [`VisionError::ModelMissing`] if the file does not exist,
    /// [`VisionError::OrtUnavailable`] if ONNX Runtime is asked for but does
    /// not load, [`VisionError::ModelInvalid`] if the runtime cannot load or
    /// run it.
    pub fn new(cfg: &EmbedderConfig) -> Result<Self, VisionError> {
        let path = &cfg.model_path;
        crate::model::require_model(path)?;
        let invalid = |stage: &str, e: String, runtime: String| VisionError::ModelInvalid {
            path: path.clone(),
            runtime,
            reason: format!("{stage}: {e}"),
        };
        let path_str = path.to_string_lossy();
        // alignCrop does not use the network, but FaceRecognizerSF loads one.
        let aligner = FaceRecognizerSF::create_def(&path_str, "")
            .map_err(|e| invalid("loading failed", e.message, crate::error::opencv_runtime()))?;
        let net = RecognitionNet::new(path, cfg.inference)?;
        let runtime = net.runtime_label();
        let invalid = |stage: &str, e: String| invalid(stage, e, runtime.clone());
        let mut embedder = Self {
            preset: cfg.preset,
            aligner,
            net,
            dim: 0,
            made: 0,
        };
        let probe = Mat::new_rows_cols_with_default(
            ALIGNED_SIZE,
            ALIGNED_SIZE,
            CV_8UC3,
            Scalar::new(90.0, 120.0, 170.0, 0.0),
        )
        .map_err(|e| invalid("building the test image failed", e.message))?;
        let raw = embedder
            .forward(&probe)
            .map_err(|e| invalid("test embedding failed", e.to_string()))?;
        if raw.is_empty() {
            return Err(invalid("test embedding failed", "empty output".into()));
        }
        embedder.dim = raw.len();
        Ok(embedder)
    }

    /// The preset this embedder was created with.
    pub fn preset(&self) -> EmbedderPreset {
        self.preset
    }

    /// Number of embeddings computed since creation (the start-up check not
    /// included): the costly part, about 11 ms each on one core.
    pub fn embeddings_made(&self) -> usize {
        self.made
    }

    /// Aligns the face (box and 5 landmarks) and returns its embedding.
    pub fn embed(&mut self, frame: &Mat, face: &Face) -> Result<Embedding, VisionError> {
        let aligned = self.align(frame, face)?;
        self.embed_aligned(&aligned)
    }

    /// The 112x112 face crop warped onto the ArcFace 5-point template
    /// (`FaceRecognizerSF::alignCrop`).
    pub fn align(&self, frame: &Mat, face: &Face) -> Result<Mat, VisionError> {
        let row = face_row(face);
        let row = Mat::from_slice(&row)?;
        let mut aligned = Mat::default();
        self.aligner.align_crop(frame, &row, &mut aligned)?;
        Ok(aligned)
    }

    /// The embedding of a face already aligned by [`align`](Self::align).
    pub fn embed_aligned(&mut self, aligned: &Mat) -> Result<Embedding, VisionError> {
        let raw = self.forward(aligned)?;
        self.made += 1;
        Embedding::from_raw(raw).ok_or_else(|| {
            VisionError::OpenCv(opencv::Error::new(
                opencv::core::StsError,
                "the face model returned a zero or non-finite embedding",
            ))
        })
    }

    /// Runs the network on an aligned face; returns the raw output.
    fn forward(&mut self, aligned: &Mat) -> Result<Vec<f32>, VisionError> {
        let blob = input_blob(self.preset.preprocessing(), aligned)?;
        self.net.forward(&blob)
    }
}

/// A face as the 15-value row YuNet outputs (box, 5 landmarks, score).
pub(crate) fn face_row(face: &Face) -> [f32; 15] {
    let mut row = [0f32; 15];
    row[..4].copy_from_slice(&[face.x, face.y, face.w, face.h]);
    for (i, [x, y]) in face.landmarks.iter().enumerate() {
        row[4 + 2 * i] = *x;
        row[5 + 2 * i] = *y;
    }
    row[14] = face.score;
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn face_row_matches_yunet_layout() {
        let f = Face {
            x: 1.0,
            y: 2.0,
            w: 3.0,
            h: 4.0,
            score: 0.9,
            landmarks: [
                [5.0, 6.0],
                [7.0, 8.0],
                [9.0, 10.0],
                [11.0, 12.0],
                [13.0, 14.0],
            ],
        };
        let row = face_row(&f);
        assert_eq!(
            &row[..14],
            &(1..=14).map(|v| v as f32).collect::<Vec<_>>()[..]
        );
        assert_eq!(row[14], 0.9);
    }

    #[test]
    fn embedder_is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<FaceEmbedder>();
    }
}
