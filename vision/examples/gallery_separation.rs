//! Measures how well per-video people of the same identity separate from people of other
//! identities, and compares two ways of matching a person against a profile's gallery: the
//! best of the gallery's embeddings and the normalised mean of them.
//!
//! Each shared video is cut (ffmpeg, into a temp dir) into its first and second half and a
//! mirrored, half-size copy of the second half; each piece is grouped into people on its own.
//! A piece's person is labelled with the full video's person on screen at the same time whose
//! face is most similar (the full run's mean over the whole video). Same identity: the person in the second half (query) against a gallery of that
//! identity's persons in the other pieces. Other identities: every other identity's gallery.
//!
//! `cargo run --release -p vision --example gallery_separation`. Data and models:
//! `FACETALLY_DATA_DIR`, `FACETALLY_MODELS_DIR`, else `/work/shared/{data,models}`.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::Command;

use vision::*;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// A person of one piece, labelled with its identity (video + full-run person).
struct Labelled {
    identity: String,
    piece: &'static str,
    embedding: Embedding,
}

fn dir(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(default))
}

fn main() -> Res<()> {
    let (data, models) = (
        dir("FACETALLY_DATA_DIR", "../../shared/data"),
        dir("FACETALLY_MODELS_DIR", "../../shared/models"),
    );
    use_single_thread();
    let mut det = FaceDetector::new(&DetectorConfig::new(locate_model(
        Some(&models),
        DETECTOR_MODEL_FILE,
    )?))?;
    let preset = EmbedderPreset::MobileFaceNet;
    let settings = PeopleSettings::new(EmbedderConfig::new(
        locate_model(Some(&models), preset.model_file())?,
        preset,
    ));
    let tmp = tempfile::tempdir()?;
    let mut people = Vec::new();
    for video in [
        "carphone_pristine.mp4",
        "faces.mp4",
        "Megamind.avi",
        "vtest.avi",
    ] {
        let path = data.join("videos").join(video);
        let duration = probe(&path)?.duration_s.unwrap_or(0.0);
        let half = duration / 2.0;
        let full = group(&path, &mut det, &settings)?;
        let pieces = [
            ("first half", 0.0, format!("-t {half} -an")),
            ("second half", half, format!("-ss {half} -an")),
            (
                "mirrored half-size second half",
                half,
                format!("-ss {half} -vf hflip,scale=iw/2:-2 -an"),
            ),
        ];
        for (n, (piece, offset, args)) in pieces.into_iter().enumerate() {
            let out = tmp.path().join(format!("{n}-{video}.mp4"));
            cut(&path, &args, &out)?;
            for person in group(&out, &mut det, &settings)? {
                let Some(owner) = owner(&full, &person, offset) else {
                    continue;
                };
                eprintln!("  {piece}: a person of {video}#{owner}");
                people.push(Labelled {
                    identity: format!("{video}#{owner}"),
                    piece,
                    embedding: person.embedding,
                });
            }
        }
        eprintln!("{video}: {} people in the full run", full.len());
    }
    report(&people);
    Ok(())
}

fn cut(input: &Path, args: &str, out: &Path) -> Res<()> {
    let mut command = Command::new("ffmpeg");
    command.args(["-v", "error", "-y", "-i"]).arg(input);
    command
        .args(args.split(' '))
        .args(["-c:v", "libx264", "-crf", "20"]);
    let status = command.arg(out).status()?;
    if !status.success() {
        return Err(format!("ffmpeg failed on {}", input.display()).into());
    }
    Ok(())
}

fn group(path: &Path, det: &mut FaceDetector, settings: &PeopleSettings) -> Res<Vec<Person>> {
    let mut tracker = PeopleTracker::new(settings)?;
    scan_video_people(path, det, &mut tracker, |_, _, _, _| {
        ControlFlow::Continue(())
    })?;
    Ok(tracker.finish()?)
}

/// The full run's person `person` (of a piece starting `offset` seconds in) is: among those
/// on screen at the same time, the one with the most similar face. Time alone cannot tell
/// people who are on screen together apart.
fn owner(full: &[Person], person: &Person, offset: f64) -> Option<usize> {
    let overlaps = |a: &Person| {
        a.appearances.iter().any(|x| {
            person
                .appearances
                .iter()
                .any(|y| x.end_s.min(y.end_s + offset) > x.start_s.max(y.start_s + offset))
        })
    };
    (0..full.len())
        .filter(|&i| overlaps(&full[i]))
        .max_by(|&a, &b| {
            full[a]
                .embedding
                .cosine(&person.embedding)
                .total_cmp(&full[b].embedding.cosine(&person.embedding))
        })
}

/// Similarity of each second-half person to its own identity's gallery and to every other
/// identity's, by best-of and by mean.
fn report(people: &[Labelled]) {
    let mut identities: Vec<&str> = people.iter().map(|p| p.identity.as_str()).collect();
    identities.sort();
    identities.dedup();
    let gallery = |identity: &str, query: &Labelled| -> Vec<&Embedding> {
        people
            .iter()
            .filter(|p| p.identity == identity && !std::ptr::eq(*p, query))
            .filter(|p| p.identity != query.identity || p.piece != "second half")
            .map(|p| &p.embedding)
            .collect()
    };
    let (mut same, mut other) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    for query in people.iter().filter(|p| p.piece == "second half") {
        for &identity in &identities {
            let faces = gallery(identity, query);
            if faces.is_empty() {
                continue;
            }
            let best = faces
                .iter()
                .map(|e| e.cosine(&query.embedding))
                .fold(f32::MIN, f32::max);
            let owned: Vec<Embedding> = faces.iter().map(|e| (*e).clone()).collect();
            let Some(mean) = Embedding::mean(&owned) else {
                continue;
            };
            if std::env::var_os("VERBOSE").is_some() {
                eprintln!(
                    "{} vs {identity} ({} faces): best {best:.3} mean {:.3}",
                    query.identity,
                    faces.len(),
                    mean.cosine(&query.embedding)
                );
            }
            let target = if identity == query.identity {
                &mut same
            } else {
                &mut other
            };
            target[0].push(best);
            target[1].push(mean.cosine(&query.embedding));
        }
    }
    println!("| gallery match | same identity: n, min, median | other identities: n, max, p99 | gap (min same - max other) |");
    println!("|---|---|---|---|");
    for (k, name) in ["best of the gallery", "mean of the gallery"]
        .iter()
        .enumerate()
    {
        let (s, o) = (sorted(&same[k]), sorted(&other[k]));
        if s.is_empty() || o.is_empty() {
            continue;
        }
        println!(
            "| {name} | {}, {:.3}, {:.3} | {}, {:.3}, {:.3} | {:+.3} |",
            s.len(),
            s[0],
            s[s.len() / 2],
            o.len(),
            o[o.len() - 1],
            o[(o.len() * 99 / 100).min(o.len() - 1)],
            s[0] - o[o.len() - 1]
        );
    }
}

fn sorted(values: &[f32]) -> Vec<f32> {
    let mut v = values.to_vec();
    v.sort_by(f32::total_cmp);
    v
}
