//! Detector configuration and model file lookup.

use std::path::{Path, PathBuf};

use crate::{Inference, VisionError};

/// File name of the YuNet face detection model that works with OpenCV 4.6.
///
/// The newer `face_detection_yunet_2023mar.onnx` loads in OpenCV 4.6 but
/// fails on the first detection; do not use it.
pub const DETECTOR_MODEL_FILE: &str = "face_detection_yunet_2022mar.onnx";

/// Where to download [`DETECTOR_MODEL_FILE`] from.
pub const DETECTOR_MODEL_URL: &str =
    "https://github.com/opencv/opencv_zoo/tree/main/models/face_detection_yunet";

const GENERIC_MODEL_HINT: &str = "https://github.com/opencv/opencv_zoo/tree/main/models";

/// Directories searched by [`locate_model`] when no directory is given,
/// relative to the current working directory.
const DEFAULT_MODEL_DIRS: [&str; 2] = ["models", "../shared/models"];

/// Settings of the face detector.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorConfig {
    /// Path of the YuNet ONNX model (use [`locate_model`] to find it).
    pub model_path: PathBuf,
    /// Minimum confidence of a face, 0..1 (default 0.9).
    pub score_threshold: f32,
    /// IoU threshold of the non-maximum suppression (default 0.3).
    pub nms_threshold: f32,
    /// Number of candidates kept before NMS (default 5000).
    pub top_k: i32,
    /// Frames whose larger side exceeds this many pixels are scaled down
    /// (keeping the aspect ratio) before detection; boxes are mapped back to
    /// frame coordinates. 0 or less disables scaling. Default 1280.
    pub max_side: i32,
    /// The runtime that runs the network. Default: [`Inference::default`]
    /// (the process's choice, else ONNX Runtime when its library loads, else
    /// OpenCV DNN).
    pub inference: Inference,
}

impl DetectorConfig {
    /// A configuration with OpenCV's default thresholds (0.9 / 0.3 / 5000),
    /// `max_side` 1280 and the default runtime ([`Inference::default`]).
    pub fn new(model_path: PathBuf) -> Self {
        Self {
            model_path,
            score_threshold: 0.9,
            nms_threshold: 0.3,
            top_k: 5000,
            max_side: 1280,
            inference: Inference::default(),
        }
    }
}

/// Finds a model file.
///
/// With `models_dir`, the file must be in that directory. Without it,
/// `./models` and then `../shared/models` (relative to the current
/// directory) are searched. The error names the file, every place searched
/// and where to download the file.
pub fn locate_model(models_dir: Option<&Path>, file: &str) -> Result<PathBuf, VisionError> {
    let dirs: Vec<PathBuf> = match models_dir {
        Some(dir) => vec![dir.to_path_buf()],
        None => DEFAULT_MODEL_DIRS.iter().map(PathBuf::from).collect(),
    };
    for dir in &dirs {
        let candidate = dir.join(file);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    let searched = dirs
        .iter()
        .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone()))
        .collect();
    let hint = if file == DETECTOR_MODEL_FILE {
        format!("{DETECTOR_MODEL_URL} (the 2022mar file; the 2023mar one does not work with OpenCV 4.6)")
    } else {
        format!("the OpenCV model zoo, {GENERIC_MODEL_HINT}")
    };
    Err(VisionError::ModelMissing {
        file: file.to_string(),
        searched,
        hint,
    })
}

/// [`VisionError::ModelMissing`] (naming the file, its folder and where to
/// get it) unless `path` is a file.
pub(crate) fn require_model(path: &Path) -> Result<(), VisionError> {
    if path.is_file() {
        return Ok(());
    }
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    match locate_model(Some(&dir), &file) {
        Ok(_) => Ok(()),
        Err(missing) => Err(missing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let c = DetectorConfig::new("m.onnx".into());
        assert_eq!(
            (c.score_threshold, c.nms_threshold, c.top_k, c.max_side),
            (0.9, 0.3, 5000, 1280)
        );
    }

    #[test]
    fn missing_file_error_names_file_dirs_and_url() {
        let dir = std::env::temp_dir();
        let err = locate_model(Some(&dir), DETECTOR_MODEL_FILE).unwrap_err();
        let msg = err.to_string();
        assert!(matches!(err, VisionError::ModelMissing { .. }));
        assert!(msg.contains(DETECTOR_MODEL_FILE), "{msg}");
        assert!(msg.contains(&dir.display().to_string()), "{msg}");
        assert!(msg.contains(DETECTOR_MODEL_URL), "{msg}");

        let msg = locate_model(None, "other_model.onnx")
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("other_model.onnx") && msg.contains("shared/models"),
            "{msg}"
        );
        assert!(msg.contains(GENERIC_MODEL_HINT), "{msg}");
    }
}
