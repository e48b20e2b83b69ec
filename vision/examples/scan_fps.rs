//! Frames per second of a face scan on the calling thread (one core):
//! decode, detect and, with `--people`, track and embed.
//!
//! ```text
//! cargo run -p vision --release --example scan_fps -- VIDEO [--inference ort|opencv] [--people]
//! ```
//!
//! Prints one line: `fps=<frames/s> cpu_fps=<frames per CPU second>
//! frames=<n> faces=<n>` and the time per frame of each stage. `cpu_fps`
//! counts the CPU time of the whole process (all threads), so that it stays
//! comparable on a machine that is busy with other work. Models come from `$FACETALLY_MODELS_DIR`, else
//! `../shared/models` seen from the vision crate.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vision::{
    locate_model, use_single_thread, DetectorConfig, EmbedderConfig, EmbedderPreset, FaceDetector,
    Inference, PeopleSettings, PeopleTracker, VideoReader, DETECTOR_MODEL_FILE,
};

struct Args {
    video: PathBuf,
    inference: Inference,
    people: bool,
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: scan_fps VIDEO [--inference ort|opencv] [--people]";
    let (mut video, mut inference, mut people) = (None, Inference::Ort, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--people" => people = true,
            "--inference" => {
                let name = args.next().ok_or(usage)?;
                inference = Inference::parse(&name).ok_or(usage)?;
            }
            _ if video.is_none() && !arg.starts_with("--") => video = Some(PathBuf::from(arg)),
            _ => return Err(usage.into()),
        }
    }
    Ok(Args {
        video: video.ok_or(usage)?,
        inference,
        people,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let models = std::env::var_os("FACETALLY_MODELS_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"),
        PathBuf::from,
    );
    use_single_thread();
    let mut cfg = DetectorConfig::new(locate_model(Some(&models), DETECTOR_MODEL_FILE)?);
    cfg.inference = args.inference;
    let mut detector = FaceDetector::new(&cfg)?;
    let mut tracker = if args.people {
        let preset = EmbedderPreset::MobileFaceNet;
        let mut embedder =
            EmbedderConfig::new(locate_model(Some(&models), preset.model_file())?, preset);
        embedder.inference = args.inference;
        Some(PeopleTracker::new(&PeopleSettings::new(embedder))?)
    } else {
        None
    };

    let (mut decode, mut detect, mut people) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let (mut frames, mut faces) = (0u32, 0usize);
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let mut reader = VideoReader::open(&args.video)?;
    loop {
        let t = Instant::now();
        let Some(frame) = reader.next_frame()? else {
            break;
        };
        let t2 = Instant::now();
        let found = detector.detect(&frame.image)?;
        let t3 = Instant::now();
        if let Some(tracker) = tracker.as_mut() {
            tracker.observe(&frame, &found)?;
        }
        (decode, detect, people) = (decode + (t2 - t), detect + (t3 - t2), people + t3.elapsed());
        frames += 1;
        faces += found.len();
    }
    let persons = match tracker {
        Some(tracker) => {
            let t = Instant::now();
            let persons = tracker.finish()?.len();
            people += t.elapsed();
            Some(persons)
        }
        None => None,
    };
    let (total, cpu) = (start.elapsed(), cpu_seconds() - cpu_start);
    let per_frame = |d: Duration| d.as_secs_f64() * 1000.0 / f64::from(frames.max(1));
    println!(
        "fps={:.1} cpu_fps={:.1} frames={frames} faces={faces} inference={} people={} ms/frame: decode {:.1} detect {:.1} people {:.1}",
        f64::from(frames) / total.as_secs_f64(),
        f64::from(frames) / cpu,
        detector.inference(),
        persons.map_or_else(|| "off".into(), |n| n.to_string()),
        per_frame(decode),
        per_frame(detect),
        per_frame(people),
    );
    Ok(())
}

/// User plus system CPU time of this process, all threads, in seconds
/// (`/proc/self/stat`, in ticks of 1/100 s); 0 where that is not readable.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses: utime and stime
    // are the 12th and 13th of them.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}
