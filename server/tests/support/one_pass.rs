//! The single-pass reference for segmented runs: one video scanned in this process, with the
//! shared models and the tests' settings, and its people grouped.
//! Shared by the `api` and `processes` test binaries (`#[path]` modules).

use std::ops::ControlFlow;
use std::path::PathBuf;

/// Totals and people count of one pass over the shared video `name`.
pub async fn one_pass(name: &str) -> (vision::ScanTotals, i64) {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let path = shared.join("data/videos").join(name);
    let models = shared.join("models");
    tokio::task::spawn_blocking(move || {
        let args = server::config::VisionArgs {
            models_dir: Some(models),
            score_threshold: 0.9,
            nms_threshold: 0.3,
            detect_max_side: 1280,
            embedder: Some(vision::EmbedderPreset::MobileFaceNet),
            match_threshold: None,
            min_faces: 3,
            inference: std::env::var("FACETALLY_INFERENCE")
                .ok()
                .and_then(|name| vision::Inference::parse(&name)),
        };
        let mut detector = vision::FaceDetector::new(&args.detector_config().unwrap()).unwrap();
        let mut people = vision::PeopleTracker::new(&args.people_settings().unwrap()).unwrap();
        let outcome = vision::scan_video(&path, &mut detector, |frame, faces, _| {
            people.observe(frame, faces).unwrap();
            ControlFlow::Continue(())
        })
        .unwrap();
        (outcome.totals, people.finish().unwrap().len() as i64)
    })
    .await
    .unwrap()
}
