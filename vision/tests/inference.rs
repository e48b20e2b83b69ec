//! ONNX Runtime against OpenCV DNN on the real models and videos. Needs the
//! ONNX Runtime library (`scripts/setup.sh`); the measured totals are in
//! `vision/INFERENCE.md`.

mod common;

use common::{config, iou, models_dir, video};
use vision::{
    opencv::prelude::*, EmbedderConfig, EmbedderPreset, Face, FaceDetector, FaceEmbedder,
    Inference, VideoReader,
};

/// A face found by one runtime only must score within this of the threshold.
const BORDERLINE: f32 = 0.02;

fn detector(inference: Inference) -> FaceDetector {
    vision::use_single_thread();
    let mut cfg = config();
    cfg.inference = inference;
    FaceDetector::new(&cfg).expect("detector")
}

fn rect(f: &Face) -> [f32; 4] {
    [f.x, f.y, f.w, f.h]
}

/// Per video: frames, faces of ORT, faces of OpenCV, faces only one found,
/// largest box difference (px) of the faces both found.
#[derive(Debug, Default)]
struct Comparison {
    frames: usize,
    ort: usize,
    opencv: usize,
    unmatched: Vec<f32>,
    max_box_diff: f32,
    frames_differing: usize,
}

/// Pairs the faces of one frame (IoU > 0.5); records the rest.
fn compare_frame(ort: &[Face], cv: &[Face], c: &mut Comparison) {
    let mut used = vec![false; cv.len()];
    for a in ort {
        let best = cv
            .iter()
            .enumerate()
            .filter(|(j, _)| !used[*j])
            .map(|(j, b)| (j, iou(rect(a), rect(b))))
            .max_by(|x, y| x.1.total_cmp(&y.1));
        match best {
            Some((j, overlap)) if overlap > 0.5 => {
                used[j] = true;
                let b = &cv[j];
                let diff = rect(a)
                    .iter()
                    .zip(rect(b))
                    .map(|(p, q)| (p - q).abs())
                    .fold(0f32, f32::max);
                c.max_box_diff = c.max_box_diff.max(diff);
            }
            _ => c.unmatched.push(a.score),
        }
    }
    let lone_cv = cv.iter().zip(&used).filter(|(_, u)| !**u);
    c.unmatched.extend(lone_cv.map(|(f, _)| f.score));
    c.frames_differing += usize::from(ort.len() != cv.len());
}

fn compare_video(name: &str) -> Comparison {
    let (mut ort, mut cv) = (detector(Inference::Ort), detector(Inference::OpenCv));
    let mut reader = VideoReader::open(&video(name)).expect("video");
    let mut c = Comparison::default();
    while let Some(frame) = reader.next_frame().expect("frame") {
        let a = ort.detect(&frame.image).expect("ORT detection");
        let b = cv.detect(&frame.image).expect("OpenCV detection");
        c.frames += 1;
        c.ort += a.len();
        c.opencv += b.len();
        compare_frame(&a, &b, &mut c);
    }
    c
}

/// Every shared video, every frame: both runtimes find the same faces, but
/// for faces scoring within [`BORDERLINE`] of the 0.9 threshold.
#[test]
fn ort_and_opencv_find_the_same_faces_in_every_shared_video() {
    let dir = common::data_dir().join("videos");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let threshold = config().score_threshold;
    // One thread per video: OpenCV DNN on every frame is the slowest test of the crate,
    // and each detector runs single-threaded.
    let compared: Vec<Comparison> = std::thread::scope(|scope| {
        let running: Vec<_> = names
            .iter()
            .map(|name| scope.spawn(|| compare_video(name)))
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for (name, c) in names.iter().zip(compared) {
        eprintln!(
            "| {name} | {} | {} | {} | {} | {:.2} | {:?} |",
            c.frames, c.ort, c.opencv, c.frames_differing, c.max_box_diff, c.unmatched
        );
        assert!(c.frames > 0, "{name}: no frames");
        for score in &c.unmatched {
            assert!(
                *score <= threshold + BORDERLINE,
                "{name}: a face of score {score} found by one runtime only ({c:?})"
            );
        }
        assert!(
            c.max_box_diff <= 1.0,
            "{name}: boxes differ by {}",
            c.max_box_diff
        );
    }
}

/// ONNX Runtime takes any input size once the model's input is symbolic, and
/// its output rows match OpenCV's prior count (or `detect` errors).
#[test]
fn ort_detects_at_odd_input_sizes() {
    use vision::opencv::core::{Mat, Scalar, CV_8UC3};
    let mut det = detector(Inference::Ort);
    assert_eq!(det.inference(), Inference::Ort);
    for (w, h) in [
        (160, 120),
        (176, 144),
        (333, 207),
        (64, 64),
        (1280, 720),
        (30, 20),
    ] {
        let img = Mat::new_rows_cols_with_default(h, w, CV_8UC3, Scalar::all(80.0)).unwrap();
        det.detect(&img).unwrap_or_else(|e| panic!("{w}x{h}: {e}"));
    }
}

/// Embeddings of the same aligned faces: cosine >= 0.999 between runtimes.
#[test]
fn embeddings_agree_between_runtimes() {
    let preset = EmbedderPreset::MobileFaceNet;
    let path = vision::locate_model(Some(&models_dir()), preset.model_file()).unwrap();
    let embedder = |inference| {
        let mut cfg = EmbedderConfig::new(path.clone(), preset);
        cfg.inference = inference;
        FaceEmbedder::new(&cfg).expect("embedder")
    };
    let (mut ort, mut cv) = (embedder(Inference::Ort), embedder(Inference::OpenCv));
    let mut det = detector(Inference::OpenCv);
    let mut compared = 0;
    for (name, step) in [("faces.mp4", 40), ("carphone_pristine.mp4", 50)] {
        let mut reader = VideoReader::open(&video(name)).unwrap();
        let mut index = 0;
        while let Some(frame) = reader.next_frame().unwrap() {
            index += 1;
            if index % step != 1 {
                continue;
            }
            for face in det.detect(&frame.image).unwrap() {
                let aligned = cv.align(&frame.image, &face).unwrap();
                assert!(!aligned.empty());
                let a = ort.embed_aligned(&aligned).unwrap();
                let b = cv.embed_aligned(&aligned).unwrap();
                let cos = a.cosine(&b);
                assert!(cos >= 0.999, "{name} frame {index}: cosine {cos}");
                compared += 1;
            }
        }
    }
    assert!(compared >= 5, "only {compared} faces compared");
}
