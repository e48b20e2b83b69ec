//! The SFace path, with a generated model of SFace's shape (the real file is not on this
//! machine): its preprocessing (raw 0..255, RGB) reaches the network on both runtimes, and
//! people are found with it.

mod common;

use opencv::core::{Mat, Scalar, CV_8UC3};
use vision::testing::{sface_shaped_model, sface_shaped_output};
use vision::{
    scan_video_people, EmbedderConfig, EmbedderPreset, Embedding, FaceEmbedder, Inference,
    PeopleSettings, PeopleTracker,
};

fn model_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(EmbedderPreset::SFace.model_file());
    std::fs::write(&path, sface_shaped_model()).unwrap();
    (dir, path)
}

#[test]
fn each_preset_feeds_its_own_tensor_to_the_network_on_both_runtimes() {
    let (_dir, path) = model_file();
    // An aligned face of one BGR colour: the network sees its three channel means.
    let (b, g, r) = (10.0f32, 128.0, 250.0);
    let face = Mat::new_rows_cols_with_default(
        112,
        112,
        CV_8UC3,
        Scalar::new(b.into(), g.into(), r.into(), 0.0),
    )
    .unwrap();
    let scaled = |v: f32| (v - 127.5) / 127.5;
    let cases = [
        // SFace: raw values, red first.
        (EmbedderPreset::SFace, [r, g, b]),
        // MobileFaceNet: (x - 127.5) / 127.5, blue first.
        (
            EmbedderPreset::MobileFaceNet,
            [scaled(b), scaled(g), scaled(r)],
        ),
    ];
    for inference in [Inference::OpenCv, Inference::Ort] {
        for (preset, means) in cases {
            let config = EmbedderConfig {
                inference,
                ..EmbedderConfig::new(path.clone(), preset)
            };
            let mut embedder = FaceEmbedder::new(&config)
                .unwrap_or_else(|e| panic!("{preset:?} on {inference:?}: {e}"));
            let got = embedder.embed_aligned(&face).unwrap();
            let want = Embedding::from_raw(sface_shaped_output(means)).unwrap();
            assert_eq!(got.as_slice().len(), 128);
            let cosine = got.cosine(&want);
            assert!(cosine > 0.9999, "{preset:?} on {inference:?}: {cosine}");
        }
    }
}

#[test]
fn people_are_found_with_an_sface_model() {
    let (_dir, path) = model_file();
    let preset = EmbedderPreset::SFace;
    let settings = PeopleSettings::new(EmbedderConfig::new(path, preset));
    assert_eq!(settings.match_threshold, 0.363);
    let mut tracker = PeopleTracker::new(&settings).unwrap();
    let mut detector = common::detector();
    let video = common::video("carphone_pristine.mp4");
    let outcome = scan_video_people(&video, &mut detector, &mut tracker, |_, _, _, _| {
        std::ops::ControlFlow::Continue(())
    })
    .unwrap();
    assert!(outcome.completed);
    let people = tracker.finish().unwrap();
    // carphone: one man on screen the whole clip (REFERENCE.md).
    assert_eq!(people.len(), 1, "{people:?}");
    assert_eq!(people[0].embedding.as_slice().len(), 128);
    assert_eq!(people[0].face_count as i64, outcome.totals.faces_total);
}
