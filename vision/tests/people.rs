//! People per video on the shared files: counts, appearances, crops,
//! embeddings, and matching the same person across videos.

mod common;

use std::sync::OnceLock;

use common::{detector, models_dir, video};
use opencv::core::{Mat, Vector};
use opencv::imgcodecs;
use opencv::prelude::*;
use vision::{
    EmbedderConfig, EmbedderPreset, Embedding, Frame, PeopleSettings, PeopleTracker, Person,
    VideoReader,
};

fn settings() -> PeopleSettings {
    let preset = EmbedderPreset::MobileFaceNet;
    let model =
        vision::locate_model(Some(&models_dir()), preset.model_file()).expect("embedder model");
    PeopleSettings::new(EmbedderConfig::new(model, preset))
}

/// What one pass over (part of) a video gave.
#[derive(Debug)]
struct Run {
    people: Vec<Person>,
    so_far: usize,
    /// Timestamp of the last frame plus one frame.
    end_s: f64,
}

/// Detects and tracks people over the frames of `name` whose index is in
/// `range`, each frame transformed by `edit` first.
fn run_with(name: &str, range: std::ops::Range<i64>, edit: impl Fn(&mut Frame)) -> Run {
    let mut det = detector();
    let mut tracker = PeopleTracker::new(&settings()).unwrap();
    let mut reader = VideoReader::open(&video(name)).unwrap();
    let step = reader.info().fps.map_or(0.04, |f| 1.0 / f);
    let (mut end_s, mut offset) = (0.0, None);
    while let Some(mut frame) = reader.next_frame().unwrap() {
        if !range.contains(&frame.index) {
            continue;
        }
        // Each part starts at 0 s, as a separate video would.
        let start = *offset.get_or_insert(frame.timestamp_s);
        frame.timestamp_s -= start;
        edit(&mut frame);
        let faces = det.detect(&frame.image).unwrap();
        tracker.observe(&frame, &faces).unwrap();
        end_s = frame.timestamp_s + step;
    }
    let so_far = tracker.people_so_far();
    Run {
        people: tracker.finish().unwrap(),
        so_far,
        end_s,
    }
}

fn run(name: &str) -> Run {
    run_with(name, 0..i64::MAX, |_| {})
}

/// Whole-video runs, shared by the tests (faces.mp4 takes a while).
fn cached(name: &'static str) -> &'static Run {
    static CARPHONE: OnceLock<Run> = OnceLock::new();
    static FACES: OnceLock<Run> = OnceLock::new();
    let cell = match name {
        "carphone_pristine.mp4" => &CARPHONE,
        "faces.mp4" => &FACES,
        _ => unreachable!(),
    };
    cell.get_or_init(|| run(name))
}

/// Appearances lie within the video, in order, without overlap, and the
/// crop is a JPEG of at most 256 px square.
fn check_person(p: &Person, end_s: f64) {
    let mut last_end = 0.0;
    assert!(!p.appearances.is_empty());
    for s in &p.appearances {
        assert!(
            s.start_s >= last_end && s.end_s >= s.start_s && s.end_s <= end_s + 1e-6,
            "{:?} within 0..{end_s}",
            p.appearances
        );
        last_end = s.end_s;
    }
    assert_eq!(p.embedding.len(), 128);
    let norm: f32 = p.embedding.as_slice().iter().map(|v| v * v).sum();
    assert!((norm - 1.0).abs() < 1e-4);
    assert_eq!(p.episode_crops.len(), p.appearances.len());
    for jpeg in &p.episode_crops {
        let c = decode(jpeg);
        assert!(
            c.cols() == c.rows() && c.cols() <= 256,
            "{}x{}",
            c.cols(),
            c.rows()
        );
    }
    let crop = decode(&p.crop_jpeg);
    assert!(
        crop.cols() == crop.rows() && crop.cols() <= 256 && crop.cols() >= 40,
        "{}x{}",
        crop.cols(),
        crop.rows()
    );
}

fn decode(jpeg: &[u8]) -> Mat {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "not a JPEG");
    let img =
        imgcodecs::imdecode(&Vector::<u8>::from_slice(jpeg), imgcodecs::IMREAD_COLOR).unwrap();
    assert!(!img.empty(), "undecodable JPEG");
    img
}

#[test]
fn carphone_has_exactly_one_person_with_a_face_crop() {
    let r = cached("carphone_pristine.mp4");
    assert_eq!(
        r.people.len(),
        1,
        "{:?}",
        r.people.iter().map(|p| p.face_count).collect::<Vec<_>>()
    );
    assert_eq!(r.so_far, 1);
    let p = &r.people[0];
    check_person(p, r.end_s);
    assert_eq!(p.face_count, 120);
    // On screen the whole 4 s, as one range.
    assert_eq!(p.appearances.len(), 1);
    assert!(
        p.appearances[0].start_s < 0.05 && p.appearances[0].end_s > 3.9,
        "{:?}",
        p.appearances
    );
    assert_eq!(detector().detect(&decode(&p.crop_jpeg)).unwrap().len(), 1);
}

#[test]
fn faces_mp4_has_four_or_five_people_not_one_per_track() {
    let r = cached("faces.mp4");
    let counts: Vec<usize> = r.people.iter().map(|p| p.face_count).collect();
    eprintln!(
        "faces.mp4: {} people, faces {counts:?}, estimate {}",
        r.people.len(),
        r.so_far
    );
    assert!((4..=5).contains(&r.people.len()), "{counts:?}");
    for p in &r.people {
        check_person(p, r.end_s);
        assert!(
            !detector().detect(&decode(&p.crop_jpeg)).unwrap().is_empty(),
            "no face in a crop"
        );
    }
    // Ordered by first appearance.
    assert!(r
        .people
        .windows(2)
        .all(|w| w[0].appearances[0].start_s <= w[1].appearances[0].start_s));
    // Distinct people do not match each other.
    for (i, a) in r.people.iter().enumerate() {
        for b in &r.people[i + 1..] {
            assert!(a.embedding.cosine(&b.embedding) < settings().match_threshold);
        }
    }
    assert!((3..=6).contains(&r.so_far), "estimate {}", r.so_far);
}

#[test]
fn tree_has_nobody() {
    let r = run("tree.avi");
    assert_eq!(r.people.len(), 0);
    assert_eq!(r.so_far, 0);
}

#[test]
fn megamind_cartoons_are_reported_not_tuned() {
    // Out of domain (cartoon faces): only check the result is well formed.
    let r = run("Megamind.avi");
    eprintln!(
        "Megamind.avi: {} people, faces {:?}",
        r.people.len(),
        r.people.iter().map(|p| p.face_count).collect::<Vec<_>>()
    );
    for p in &r.people {
        check_person(p, r.end_s);
    }
}

#[test]
fn same_person_matches_across_videos_and_others_do_not() {
    let s = settings();
    // Two "videos" of the carphone man: the first half, and the second
    // half mirrored (different frames, different pixels).
    let first = run_with("carphone_pristine.mp4", 0..60, |_| {});
    let second = run_with("carphone_pristine.mp4", 60..120, |f| {
        let mut flipped = Mat::default();
        opencv::core::flip(&f.image, &mut flipped, 1).unwrap();
        f.image = flipped;
    });
    assert_eq!((first.people.len(), second.people.len()), (1, 1));
    let same = first.people[0]
        .embedding
        .cosine(&second.people[0].embedding);
    let whole = &cached("carphone_pristine.mp4").people[0].embedding;
    eprintln!(
        "carphone halves: {same:.3}; half vs whole: {:.3}",
        first.people[0].embedding.cosine(whole)
    );
    assert!(same >= s.match_threshold, "same man scored {same}");
    for p in &cached("faces.mp4").people {
        let other = p.embedding.cosine(whole);
        eprintln!("faces.mp4 person vs carphone: {other:.3}");
        assert!(
            other < s.match_threshold,
            "a faces.mp4 person matched the carphone man: {other}"
        );
    }
}

/// One tracker over two videos (`take_people` between them): a second pass
/// over carphone gives the same person again, and the live estimate is
/// there before the end.
#[test]
fn tracker_is_reusable_and_estimates_while_scanning() {
    let mut det = detector();
    let mut tracker = PeopleTracker::new(&settings()).unwrap();
    let mut passes = Vec::new();
    for _ in 0..2 {
        let mut estimates = Vec::new();
        vision::scan_video_people(
            &video("carphone_pristine.mp4"),
            &mut det,
            &mut tracker,
            |_, _, _, n| {
                estimates.push(n);
                std::ops::ControlFlow::Continue(())
            },
        )
        .unwrap();
        assert_eq!(estimates.len(), 120);
        // One person as soon as the track has 3 usable faces, never more.
        assert_eq!(estimates[0], 0);
        assert!(estimates[10..].iter().all(|n| *n == 1), "{estimates:?}");
        passes.push(tracker.take_people().unwrap());
    }
    assert_eq!((passes[0].len(), passes[1].len()), (1, 1));
    assert!(passes[0][0].embedding.cosine(&passes[1][0].embedding) > 0.9999);
    assert_eq!(passes[0][0].appearances, passes[1][0].appearances);
}

#[test]
fn stored_embeddings_round_trip() {
    let e = &cached("carphone_pristine.mp4").people[0].embedding;
    let back = Embedding::from_bytes(&e.to_bytes()).unwrap();
    assert_eq!(e.to_bytes().len(), 4 * 128);
    assert!((back.cosine(e) - 1.0).abs() < 1e-6);
    assert_eq!(&back, e);
}

/// The SFace preset's preprocessing is exactly what `FaceRecognizerSF::feature`
/// feeds a model (checked with the MobileFaceNet file, as SFace is not here),
/// and MobileFaceNet's differs.
#[test]
fn sface_preset_reproduces_face_recognizer_feature() {
    use opencv::objdetect::FaceRecognizerSF;
    let mobile = settings().embedder;
    let as_sface = EmbedderConfig {
        preset: EmbedderPreset::SFace,
        ..mobile.clone()
    };
    let mut reader = VideoReader::open(&video("carphone_pristine.mp4")).unwrap();
    let frame = reader.next_frame().unwrap().unwrap();
    let face = detector().detect(&frame.image).unwrap()[0];
    let mut m = vision::FaceEmbedder::new(&mobile).unwrap();
    let mut s = vision::FaceEmbedder::new(&as_sface).unwrap();
    let aligned = m.align(&frame.image, &face).unwrap();
    assert_eq!((aligned.cols(), aligned.rows()), (112, 112));
    let mut sf = FaceRecognizerSF::create_def(mobile.model_path.to_str().unwrap(), "").unwrap();
    let mut feature = Mat::default();
    sf.feature(&aligned, &mut feature).unwrap();
    let reference = Embedding::from_raw(feature.data_typed::<f32>().unwrap().to_vec()).unwrap();
    let via_sface = s.embed_aligned(&aligned).unwrap();
    let via_mobile = m.embed(&frame.image, &face).unwrap();
    assert!(
        via_sface.cosine(&reference) > 0.9999,
        "{}",
        via_sface.cosine(&reference)
    );
    assert!(
        via_mobile.cosine(&reference) < 0.99,
        "{}",
        via_mobile.cosine(&reference)
    );
}
