//! Measures what the search-photo quality gate must refuse: stills of the
//! shared videos and images, clean and degraded (scaled down and up, JPEG
//! quality 5-10, Gaussian blur, combinations), each sent through
//! `decode_photo` / `detect_photo` / `examine_face` as an upload would be,
//! and compared with the right person and with every other person.
//!
//! `cargo run -p vision --example quality_gate [-- --all]` (`--all` prints
//! every still). Data and models: `FACETALLY_DATA_DIR`, `FACETALLY_MODELS_DIR`,
//! else `/work/shared/{data,models}`. Results: `vision/QUALITY_GATE.md`.

mod degrade;
mod report;

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use opencv::imgcodecs;
use opencv::prelude::*;
use vision::*;

use degrade::{apply, crop_around, jpeg, RECIPES};
use report::Row;

/// A reference person: a video person or a face of a still image.
struct Identity {
    name: String,
    embedding: Embedding,
}

/// A face to look for in a still: who it is and where its centre is.
struct Target {
    label: usize,
    centre: (f32, f32),
    width: f32,
}

/// An image the recipes are applied to.
struct Source {
    name: String,
    image: Mat,
    targets: Vec<Target>,
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn dir(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

fn main() -> Res<()> {
    let all = std::env::args().any(|a| a == "--all");
    let (data, models) = (
        dir("FACETALLY_DATA_DIR", "../../shared/data"),
        dir("FACETALLY_MODELS_DIR", "../../shared/models"),
    );
    use_single_thread();
    let model = locate_model(Some(&models), DETECTOR_MODEL_FILE)?;
    let mut det = FaceDetector::new(&DetectorConfig::new(model))?;
    let preset = EmbedderPreset::MobileFaceNet;
    let cfg = EmbedderConfig::new(locate_model(Some(&models), preset.model_file())?, preset);
    let mut emb = FaceEmbedder::new(&cfg)?;
    let mut ids = Vec::new();
    for video in ["carphone_pristine.mp4", "faces.mp4"] {
        let mut tracker = PeopleTracker::new(&PeopleSettings::new(cfg.clone()))?;
        let path = data.join("videos").join(video);
        scan_video_people(&path, &mut det, &mut tracker, |_, _, _, _| {
            ControlFlow::Continue(())
        })?;
        for (i, p) in tracker.finish()?.into_iter().enumerate() {
            let name = format!("{}#{i}", video.split(['_', '.']).next().unwrap_or(video));
            ids.push(Identity {
                name,
                embedding: p.embedding,
            });
        }
    }
    eprintln!(
        "video people: {}",
        ids.iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut sources = Vec::new();
    video_sources(&data, &mut det, &mut emb, &ids, &mut sources)?;
    image_sources(&data, &mut det, &mut emb, &mut ids, &mut sources)?;
    eprintln!("{} identities, {} sources", ids.len(), sources.len());
    let mut rows = Vec::new();
    for (n, src) in sources.iter().enumerate() {
        eprint!("\r{}/{} {:<30}", n + 1, sources.len(), src.name);
        for r in RECIPES {
            let (img, k) = apply(&src.image, f64::from(src.targets[0].width), r.ops)?;
            let photo = decode_photo(jpeg(&img, 95)?.as_slice(), &PhotoLimits::default())?;
            let faces = detect_photo(&mut det, &photo)?;
            for t in &src.targets {
                let (cx, cy, w) = (
                    t.centre.0 * k as f32,
                    t.centre.1 * k as f32,
                    t.width * k as f32,
                );
                let face = faces.iter().find(|f| {
                    let (fx, fy) = (f.x + f.w / 2.0, f.y + f.h / 2.0);
                    (fx - cx).hypot(fy - cy) < 0.5 * w.max(f.w)
                });
                let mut row = Row::new(&src.name, r, &ids[t.label].name);
                if let Some(face) = face {
                    let (e, q) = examine_face(&mut emb, &photo, face)?;
                    let wrong = (0..ids.len()).filter(|&i| i != t.label);
                    let worst = wrong.max_by(|&a, &b| {
                        e.cosine(&ids[a].embedding)
                            .total_cmp(&e.cosine(&ids[b].embedding))
                    });
                    row.found(
                        q,
                        e.cosine(&ids[t.label].embedding),
                        worst.map(|i| (e.cosine(&ids[i].embedding), ids[i].name.clone())),
                    );
                }
                rows.push(row);
            }
        }
    }
    eprintln!();
    report::print(&rows, all);
    Ok(())
}

/// Every 10th frame of carphone (its one face) and every 12th of faces.mp4
/// (faces that match one of its people at 0.45 or more): the full frame,
/// and a square 3 face widths wide around each face.
fn video_sources(
    data: &Path,
    det: &mut FaceDetector,
    emb: &mut FaceEmbedder,
    ids: &[Identity],
    out: &mut Vec<Source>,
) -> Res<()> {
    for (video, step) in [("carphone_pristine.mp4", 10), ("faces.mp4", 12)] {
        let mut reader = VideoReader::open(&data.join("videos").join(video))?;
        let prefix = video.split(['_', '.']).next().unwrap_or(video);
        while let Some(frame) = reader.next_frame()? {
            if frame.index % step != 0 {
                continue;
            }
            let mut targets = Vec::new();
            for face in det.detect(&frame.image)? {
                let e = emb.embed(&frame.image, &face)?;
                let best = (0..ids.len())
                    .filter(|&i| ids[i].name.starts_with(prefix))
                    .max_by(|&a, &b| {
                        e.cosine(&ids[a].embedding)
                            .total_cmp(&e.cosine(&ids[b].embedding))
                    });
                if let Some(label) = best.filter(|&i| e.cosine(&ids[i].embedding) >= 0.45) {
                    targets.push(Target {
                        label,
                        centre: (face.x + face.w / 2.0, face.y + face.h / 2.0),
                        width: face.w,
                    });
                }
            }
            let name = format!("{prefix}@{}", frame.index);
            add_with_crops(&name, &frame.image, targets, det, out)?;
        }
    }
    Ok(())
}

/// The still images: each face is its own identity.
fn image_sources(
    data: &Path,
    det: &mut FaceDetector,
    emb: &mut FaceEmbedder,
    ids: &mut Vec<Identity>,
    out: &mut Vec<Source>,
) -> Res<()> {
    let images = data.join("images");
    let mut files = vec![images.join("two_people.jpg")];
    let mut dlib: Vec<PathBuf> = std::fs::read_dir(images.join("dlib_faces"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .collect();
    dlib.sort();
    files.extend(dlib);
    for file in files {
        let image = imgcodecs::imread(&file, imgcodecs::IMREAD_COLOR)?;
        let stem = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let mut targets = Vec::new();
        for (i, face) in det.detect(&image)?.iter().enumerate() {
            ids.push(Identity {
                name: format!("{stem}#{i}"),
                embedding: emb.embed(&image, face)?,
            });
            targets.push(Target {
                label: ids.len() - 1,
                centre: (face.x + face.w / 2.0, face.y + face.h / 2.0),
                width: face.w,
            });
        }
        add_with_crops(&stem, &image, targets, det, out)?;
    }
    Ok(())
}

/// The full image with all its targets, and one crop per target.
fn add_with_crops(
    name: &str,
    image: &Mat,
    targets: Vec<Target>,
    det: &mut FaceDetector,
    out: &mut Vec<Source>,
) -> Res<()> {
    if targets.is_empty() {
        return Ok(());
    }
    let faces = det.detect(image)?;
    for t in &targets {
        let Some(face) = faces.iter().find(|f| {
            (f.x + f.w / 2.0 - t.centre.0).abs() < 1.0 && (f.y + f.h / 2.0 - t.centre.1).abs() < 1.0
        }) else {
            continue;
        };
        let (crop, rect) = crop_around(image, face, 3.0)?;
        let centre = (t.centre.0 - rect.x as f32, t.centre.1 - rect.y as f32);
        out.push(Source {
            name: format!("{name}/crop{}", t.label),
            image: crop,
            targets: vec![Target {
                label: t.label,
                centre,
                width: t.width,
            }],
        });
    }
    out.push(Source {
        name: name.to_string(),
        image: image.clone(),
        targets,
    });
    Ok(())
}
