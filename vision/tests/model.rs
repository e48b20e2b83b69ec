//! Model lookup and validation on real files.

mod common;

use std::path::PathBuf;

use common::models_dir;
use vision::{locate_model, DetectorConfig, FaceDetector, VisionError, DETECTOR_MODEL_FILE};

#[test]
fn locates_the_shared_model() {
    let p = locate_model(Some(&models_dir()), DETECTOR_MODEL_FILE).unwrap();
    assert!(p.ends_with(DETECTOR_MODEL_FILE) && p.is_file());
}

#[test]
fn missing_model_error_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = locate_model(Some(dir.path()), DETECTOR_MODEL_FILE).unwrap_err();
    assert!(matches!(err, VisionError::ModelMissing { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(DETECTOR_MODEL_FILE) && msg.contains("opencv_zoo"),
        "{msg}"
    );
    // FaceDetector::new on a missing path gives the same kind of error.
    let err =
        FaceDetector::new(&DetectorConfig::new(dir.path().join(DETECTOR_MODEL_FILE))).unwrap_err();
    assert!(matches!(err, VisionError::ModelMissing { .. }), "{err}");
}

fn invalid(path: PathBuf) -> String {
    match FaceDetector::new(&DetectorConfig::new(path)) {
        Err(e @ VisionError::ModelInvalid { .. }) => e.to_string(),
        other => panic!("expected ModelInvalid, got {other:?}"),
    }
}

#[test]
fn non_model_files_are_model_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("bogus.onnx");
    std::fs::write(&text, "not a model").unwrap();
    let msg = invalid(text);
    assert!(msg.contains("bogus.onnx"), "{msg}");

    let model = std::fs::read(models_dir().join(DETECTOR_MODEL_FILE)).unwrap();
    let cut = dir.path().join("cut.onnx");
    std::fs::write(&cut, &model[..model.len() / 2]).unwrap();
    invalid(cut);
}

#[test]
fn a_model_that_loads_but_is_not_yunet_fails_the_test_detection() {
    // MobileFaceNet loads fine in OpenCV 4.6 as a network, like the 2023mar
    // YuNet model: only running a detection shows it is unusable.
    let msg = invalid(models_dir().join("face_recognition_mobilefacenet_paddlex.onnx"));
    assert!(msg.contains("test detection"), "{msg}");
}

#[test]
fn the_real_model_loads() {
    let mut d = FaceDetector::new(&common::config()).unwrap();
    let blank =
        opencv::core::Mat::new_rows_cols_with_default(240, 320, opencv::core::CV_8UC3, 0.0.into())
            .unwrap();
    assert!(d.detect(&blank).unwrap().is_empty());
}
