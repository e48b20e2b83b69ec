//! Shared helpers of the integration tests: where the real test files are.
#![allow(dead_code)]

use std::path::PathBuf;

use vision::{DetectorConfig, FaceDetector};

/// `$FACETALLY_DATA_DIR`, else `/work/shared/data` seen from this crate.
pub fn data_dir() -> PathBuf {
    let dir = std::env::var_os("FACETALLY_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    assert!(
        dir.join("videos").is_dir(),
        "test data not found at {} (set FACETALLY_DATA_DIR)",
        dir.display()
    );
    dir
}

/// `$FACETALLY_MODELS_DIR`, else `/work/shared/models` seen from this crate.
pub fn models_dir() -> PathBuf {
    std::env::var_os("FACETALLY_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"))
}

pub fn video(name: &str) -> PathBuf {
    data_dir().join("videos").join(name)
}

pub fn image(name: &str) -> PathBuf {
    data_dir().join("images").join(name)
}

pub fn config() -> DetectorConfig {
    let model =
        vision::locate_model(Some(&models_dir()), vision::DETECTOR_MODEL_FILE).expect("model");
    DetectorConfig::new(model)
}

pub fn detector() -> FaceDetector {
    vision::use_single_thread();
    FaceDetector::new(&config()).expect("detector")
}

/// Intersection over union of two (x, y, w, h) boxes.
pub fn iou(a: [f32; 4], b: [f32; 4]) -> f32 {
    let ix = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let iy = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    let inter = ix.max(0.0) * iy.max(0.0);
    inter / (a[2] * a[3] + b[2] * b[3] - inter)
}
