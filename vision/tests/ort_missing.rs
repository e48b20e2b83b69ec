//! A wrong `FACETALLY_ORT_LIB`: an explicit ONNX Runtime request is a clear
//! error, the automatic choice falls back to OpenCV DNN. Its own test binary
//! (own process), as the runtime is loaded once per process.

mod common;

use vision::{DetectorConfig, FaceDetector, Inference, VisionError, ORT_LIB_ENV};

#[test]
fn wrong_library_path_is_a_clear_error_or_the_opencv_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("libonnxruntime.so.0.0.0");
    std::env::set_var(ORT_LIB_ENV, &wrong);

    let err = Inference::resolve(Some(Inference::Ort)).unwrap_err();
    assert!(matches!(err, VisionError::OrtUnavailable { .. }), "{err:?}");
    let msg = err.to_string();
    for part in [
        wrong.display().to_string().as_str(),
        "scripts/setup.sh",
        ORT_LIB_ENV,
    ] {
        assert!(msg.contains(part), "{part} missing in: {msg}");
    }

    assert_eq!(Inference::automatic(), Inference::OpenCv);
    assert_eq!(Inference::resolve(None).unwrap(), Inference::OpenCv);
    let cfg = common::config();
    assert_eq!(cfg.inference, Inference::OpenCv);
    assert_eq!(
        FaceDetector::new(&cfg).unwrap().inference(),
        Inference::OpenCv
    );

    let explicit = DetectorConfig {
        inference: Inference::Ort,
        ..cfg
    };
    let err = FaceDetector::new(&explicit).unwrap_err();
    assert!(matches!(err, VisionError::OrtUnavailable { .. }), "{err:?}");
}
