//! The tests' detection settings, and the single-pass reference for segmented runs: one
//! video scanned in this process with those settings, and its people grouped.
//! Shared by the `api` and `processes` test binaries (`#[path]` modules).

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The shared test data: `../shared` next to the workspace, or FACETALLY_SHARED_DIR.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("FACETALLY_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

/// Detection settings the tests use (the shared models, default thresholds).
pub fn vision_args() -> server::config::VisionArgs {
    server::config::VisionArgs {
        models_dir: Some(shared_dir().join("models")),
        score_threshold: 0.9,
        nms_threshold: 0.3,
        detect_max_side: 1280,
        embedder: Some(vision::EmbedderPreset::MobileFaceNet),
        match_threshold: None,
        min_faces: 3,
        // FACETALLY_INFERENCE when set (the default otherwise: ort if it loads).
        inference: std::env::var("FACETALLY_INFERENCE")
            .ok()
            .and_then(|name| vision::Inference::parse(&name)),
    }
}

/// Totals and people count of one pass over the shared video `name`: scanned once per test
/// process, as several tests compare against the same video's.
pub async fn one_pass(name: &str) -> (vision::ScanTotals, i64) {
    type Cell = Arc<tokio::sync::OnceCell<(vision::ScanTotals, i64)>>;
    static SCANNED: Mutex<BTreeMap<String, Cell>> = Mutex::new(BTreeMap::new());
    let cell = SCANNED
        .lock()
        .unwrap()
        .entry(name.to_owned())
        .or_default()
        .clone();
    *cell.get_or_init(|| scan(name)).await
}

async fn scan(name: &str) -> (vision::ScanTotals, i64) {
    let path = shared_dir().join("data/videos").join(name);
    tokio::task::spawn_blocking(move || {
        let args = vision_args();
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
