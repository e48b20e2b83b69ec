//! Face embedder: `FaceRecognizerSF::alignCrop` then a recognition network.
//!
//! Both presets align the face the same way (5-point ArcFace template) and
//! run the network with `cv::dnn`; they differ only in how the aligned
//! 112x112 BGR face becomes the input tensor ([`Preprocessing`]).

use std::path::PathBuf;

use opencv::core::{Mat, Ptr, Scalar, Size, CV_32F, CV_8UC3};
use opencv::dnn::{self, Net};
use opencv::objdetect::FaceRecognizerSF;
use opencv::prelude::*;

use crate::{Embedding, Face, VisionError};

/// Side of the aligned face crop and of the network input, in pixels.
pub const ALIGNED_SIZE: i32 = 112;

/// The supported face recognition models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedderPreset {
    /// PaddleX MobileFaceNet (128-d), input (x - 127.5) / 127.5 on BGR.
    /// Works with OpenCV 4.6; the default.
    MobileFaceNet,
    /// OpenCV zoo SFace 2021dec (128-d), raw 0..255 RGB input, exactly what
    /// `FaceRecognizerSF::feature` feeds it.
    SFace,
}

/// How an aligned BGR face is turned into the network input by
/// `dnn::blobFromImage(face, scale, 112x112, mean, swap_rb)`:
/// value = (pixel - mean) * scale, channels swapped to RGB if `swap_rb`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preprocessing {
    /// Multiplier applied after subtracting `mean`.
    pub scale: f64,
    /// Subtracted from every channel.
    pub mean: f64,
    /// Feed RGB instead of BGR.
    pub swap_rb: bool,
}

impl EmbedderPreset {
    /// The model's file name in the models directory.
    pub fn model_file(self) -> &'static str {
        match self {
            Self::MobileFaceNet => "face_recognition_mobilefacenet_paddlex.onnx",
            Self::SFace => "face_recognition_sface_2021dec.onnx",
        }
    }

    /// Cosine similarity at or above which two faces are the same person.
    /// MobileFaceNet: 0.40 (measured on our data: FAR 0, FRR 1.7 % with the
    /// quality gate; see `PeopleSettings`). SFace: 0.363, OpenCV's published
    /// cosine threshold for that model.
    pub fn default_match_threshold(self) -> f32 {
        match self {
            Self::MobileFaceNet => 0.40,
            Self::SFace => 0.363,
        }
    }

    /// Parses `"mobilefacenet"` or `"sface"` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "mobilefacenet" => Some(Self::MobileFaceNet),
            "sface" => Some(Self::SFace),
            _ => None,
        }
    }

    /// The input preprocessing of this model.
    pub fn preprocessing(self) -> Preprocessing {
        match self {
            Self::MobileFaceNet => Preprocessing {
                scale: 1.0 / 127.5,
                mean: 127.5,
                swap_rb: false,
            },
            // As in OpenCV 4.6 FaceRecognizerSF::feature:
            // blobFromImage(aligned, 1, Size(112, 112), Scalar(0, 0, 0), true, false).
            Self::SFace => Preprocessing {
                scale: 1.0,
                mean: 0.0,
                swap_rb: true,
            },
        }
    }
}

/// Which model to load and where it is.
#[derive(Debug, Clone)]
pub struct EmbedderConfig {
    /// Path of the ONNX model (see [`crate::locate_model`] and
    /// [`EmbedderPreset::model_file`]).
    pub model_path: PathBuf,
    /// Which model it is: decides the preprocessing and default threshold.
    pub preset: EmbedderPreset,
}

/// The network input (1x3x112x112 float32 NCHW) for an aligned BGR face.
pub fn input_blob(preprocessing: Preprocessing, aligned: &Mat) -> Result<Mat, VisionError> {
    let p = preprocessing;
    let size = Size::new(ALIGNED_SIZE, ALIGNED_SIZE);
    Ok(dnn::blob_from_image(
        aligned,
        p.scale,
        size,
        Scalar::all(p.mean),
        p.swap_rb,
        false,
        CV_32F,
    )?)
}

/// A loaded and verified face embedder. Create one per job thread (`Send`).
pub struct FaceEmbedder {
    preset: EmbedderPreset,
    aligner: Ptr<FaceRecognizerSF>,
    net: Net,
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
    /// [`VisionError::ModelInvalid`] if OpenCV cannot load or run it.
    pub fn new(cfg: &EmbedderConfig) -> Result<Self, VisionError> {
        let path = &cfg.model_path;
        if !path.is_file() {
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
            return Err(crate::locate_model(Some(&dir), &file).unwrap_err());
        }
        let invalid = |stage: &str, e: String| VisionError::ModelInvalid {
            path: path.clone(),
            reason: format!("{stage}: {e}"),
        };
        let path_str = path.to_string_lossy();
        // alignCrop does not use the network, but FaceRecognizerSF loads one.
        let aligner = FaceRecognizerSF::create_def(&path_str, "")
            .map_err(|e| invalid("loading failed", e.message))?;
        let net = dnn::read_net_from_onnx(path.as_os_str())
            .map_err(|e| invalid("loading failed", e.message))?;
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
        self.net.set_input_def(&blob)?;
        let out = self.net.forward_single_def()?;
        Ok(out.data_typed::<f32>()?.to_vec())
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
    fn preset_names_files_and_thresholds() {
        assert_eq!(
            EmbedderPreset::parse("MobileFaceNet"),
            Some(EmbedderPreset::MobileFaceNet)
        );
        assert_eq!(EmbedderPreset::parse("sface"), Some(EmbedderPreset::SFace));
        assert_eq!(EmbedderPreset::parse("arcface"), None);
        assert_eq!(
            EmbedderPreset::MobileFaceNet.model_file(),
            "face_recognition_mobilefacenet_paddlex.onnx"
        );
        assert_eq!(
            EmbedderPreset::SFace.model_file(),
            "face_recognition_sface_2021dec.onnx"
        );
        assert_eq!(
            EmbedderPreset::MobileFaceNet.default_match_threshold(),
            0.40
        );
        assert_eq!(EmbedderPreset::SFace.default_match_threshold(), 0.363);
    }

    /// The same aligned face gives different tensors: MobileFaceNet gets
    /// (x - 127.5) / 127.5 in BGR order, SFace raw 0..255 in RGB order.
    #[test]
    fn presets_feed_different_tensors_for_the_same_face() {
        let (b, g, r) = (10.0, 128.0, 250.0);
        let face =
            Mat::new_rows_cols_with_default(112, 112, CV_8UC3, Scalar::new(b, g, r, 0.0)).unwrap();
        let plane =
            |blob: &Mat, c: usize| blob.data_typed::<f32>().unwrap()[c * 112 * 112 + 5 * 112 + 7];
        let m = input_blob(EmbedderPreset::MobileFaceNet.preprocessing(), &face).unwrap();
        let s = input_blob(EmbedderPreset::SFace.preprocessing(), &face).unwrap();
        for blob in [&m, &s] {
            assert_eq!(
                blob.mat_size().iter().copied().collect::<Vec<_>>(),
                vec![1, 3, 112, 112]
            );
        }
        let close = |blob: &Mat, want: [f64; 3]| {
            let got = [plane(blob, 0), plane(blob, 1), plane(blob, 2)];
            assert!(
                got.iter()
                    .zip(want)
                    .all(|(g, w)| (f64::from(*g) - w).abs() < 1e-6),
                "{got:?} vs {want:?}"
            );
        };
        let norm = |v: f64| (v - 127.5) / 127.5;
        close(&m, [norm(b), norm(g), norm(r)]);
        close(&s, [r, g, b]);
        assert_ne!(
            m.data_typed::<f32>().unwrap(),
            s.data_typed::<f32>().unwrap()
        );
    }

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
