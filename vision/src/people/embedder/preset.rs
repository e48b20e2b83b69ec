//! The supported recognition models and how each one's input tensor is made.

use opencv::core::{Mat, Scalar, Size, CV_32F};
use opencv::dnn;

use super::ALIGNED_SIZE;
use crate::VisionError;

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

#[cfg(test)]
mod tests {
    use super::*;
    use opencv::core::CV_8UC3;
    use opencv::prelude::*;

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
}
