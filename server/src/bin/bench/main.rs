//! Benchmark of the `vision` pipeline on one video file.
//!
//! `cargo run --release -p server --bin bench -- FILE [--jobs N]`
//!
//! `bench FILE [--jobs N] [--ffmpeg-options "threads;1"] [--json]` prints, from one run:
//! decode-only fps (bare read loop, median of 3), detect-only ms per frame
//! (on frames kept from the decode run), decode+detect fps with one job
//! (`scan_video`), total fps with N parallel jobs (one std thread each, each
//! with `use_single_thread()`), and the two efficiency ratios.
//!
//! `bench FILE --people` instead compares decode+detect with
//! decode+detect+people (`scan_video_people`), one job, the two scans
//! alternating so both see the same machine load, and prints the overhead
//! ratio of the medians (target <= 1.30).

mod cpu;

use cpu::{loadavg, machine_busy_s, process_cpu_s};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Result};
use clap::Parser;
use vision::{
    locate_model, scan_video, scan_video_people, use_single_thread, DetectorConfig, EmbedderConfig,
    EmbedderPreset, FaceDetector, PeopleSettings, PeopleTracker, ScanTotals, VideoReader,
};

/// Decoded frames kept in memory for the detect-only measurement.
const KEEP_BYTES: usize = 512 << 20;

#[derive(Parser, Debug)]
#[command(about = "Benchmark decoding and face detection on a video file")]
struct Args {
    /// Video file to scan.
    file: PathBuf,
    /// Parallel jobs for the last measurement (default: available parallelism).
    #[arg(long)]
    jobs: Option<usize>,
    /// Directory holding the YuNet model (default: ./models, then ../shared/models).
    #[arg(long)]
    models_dir: Option<PathBuf>,
    /// Value for OPENCV_FFMPEG_CAPTURE_OPTIONS, set before any video is opened
    /// (e.g. "threads;1").
    #[arg(long)]
    ffmpeg_options: Option<String>,
    /// Repeat the scans of the 1-job and N-job measurements until each job
    /// has run at least this long (short clips otherwise measure start-up).
    #[arg(long, default_value_t = 3.0)]
    min_seconds: f64,
    /// Print the results as one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// Only compare decode+detect with decode+detect+people grouping.
    #[arg(long)]
    people: bool,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(opts) = &args.ffmpeg_options {
        // Before any thread or capture exists.
        std::env::set_var("OPENCV_FFMPEG_CAPTURE_OPTIONS", opts);
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let model = locate_model(args.models_dir.as_deref(), vision::DETECTOR_MODEL_FILE)?;
    let cfg = DetectorConfig::new(model);
    use_single_thread();
    let load_before = loadavg();
    if args.people {
        let report = people_overhead(&args, &cfg)?;
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }

    // 1. Decode only: median of 3 bare read loops; keep frames from the first.
    let mut kept = Vec::new();
    let mut decode_s = Vec::new();
    let mut frames = 0;
    for run in 0..3 {
        let (n, secs) = decode_only(&args.file, if run == 0 { Some(&mut kept) } else { None })?;
        frames = n;
        decode_s.push(secs);
    }
    decode_s.sort_by(f64::total_cmp);
    let t_decode = decode_s[1] / frames as f64;

    // 2. Detect only, on the kept frames.
    let mut det = FaceDetector::new(&cfg)?;
    det.detect(&kept[0])?; // sets the input size outside the timing
    let t0 = Instant::now();
    for f in &kept {
        det.detect(f)?;
    }
    let t_detect = t0.elapsed().as_secs_f64() / kept.len() as f64;
    let detect_frames = kept.len();
    drop(kept);

    // 3. Decode + detect, one job (repeated to last --min-seconds).
    let ideal_fps = 1.0 / (t_decode + t_detect);
    let reps = ((args.min_seconds * ideal_fps / frames as f64).ceil() as usize).max(1);
    let (one_fps, one_cpu, totals) = measured(|| scan_jobs(&args.file, &cfg, 1, reps))?;

    // 4. N jobs in N threads, each with its own detector and capture.
    let (n_fps, n_cpu, _) = measured(|| scan_jobs(&args.file, &cfg, jobs, reps))?;
    let per_core =
        |fps: f64, cpu: &serde_json::Value| fps / cpu["process_cores"].as_f64().unwrap_or(f64::NAN);

    let report = serde_json::json!({
        "file": args.file.display().to_string(),
        "frames": frames,
        "frames_detect_only": detect_frames,
        "totals": totals,
        "decode_only_fps": 1.0 / t_decode,
        "detect_only_ms_per_frame": t_detect * 1e3,
        "one_job_fps": one_fps,
        "ideal_one_job_fps": ideal_fps,
        "pipeline_ratio": one_fps / ideal_fps,
        "scans_per_job": reps,
        "one_job_cpu": one_cpu,
        "jobs": jobs,
        "n_jobs_cpu": n_cpu,
        "n_jobs_fps": n_fps,
        "n_jobs_ratio": n_fps / one_fps,
        "frames_per_cpu_second_1_job": per_core(one_fps, &one_cpu),
        "frames_per_cpu_second_n_jobs": per_core(n_fps, &n_cpu),
        "ffmpeg_options": args.ffmpeg_options,
        "loadavg_before_after": [load_before, loadavg()],
    });
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    Ok(())
}

/// Decode+detect vs decode+detect+people on one thread, alternating, until
/// each has run `--min-seconds` (at least 3 rounds). The embedder is loaded
/// once, as a job thread would keep it; its load time is reported apart.
fn people_overhead(args: &Args, cfg: &DetectorConfig) -> Result<serde_json::Value> {
    let preset = EmbedderPreset::MobileFaceNet;
    let model_path = locate_model(args.models_dir.as_deref(), preset.model_file())?;
    let settings = PeopleSettings::new(EmbedderConfig::new(model_path, preset));
    let mut det = FaceDetector::new(cfg)?;
    let t0 = Instant::now();
    let mut tracker = PeopleTracker::new(&settings)?;
    let load_s = t0.elapsed().as_secs_f64();
    let (mut runs, mut frames, mut people, mut spent) = ([vec![], vec![]], 0, 0, 0.0);
    while runs[0].len() < 3 || spent < args.min_seconds {
        let (c0, t0) = (process_cpu_s(), Instant::now());
        frames = scan_video(&args.file, &mut det, |_, _, _| ControlFlow::Continue(()))?
            .totals
            .frames_processed;
        runs[0].push([t0.elapsed().as_secs_f64(), process_cpu_s() - c0]);
        let (c0, t0) = (process_cpu_s(), Instant::now());
        scan_video_people(&args.file, &mut det, &mut tracker, |_, _, _, _| {
            ControlFlow::Continue(())
        })?;
        people = tracker.take_people()?.len();
        runs[1].push([t0.elapsed().as_secs_f64(), process_cpu_s() - c0]);
        spent += runs[0].last().map_or(0.0, |r| r[0]);
    }
    let median = |v: &[[f64; 2]], k: usize| {
        let mut x: Vec<f64> = v.iter().map(|r| r[k]).collect();
        x.sort_by(f64::total_cmp);
        x[x.len() / 2]
    };
    let [plain, with_people] = &runs;
    let rounds = plain.len();
    Ok(serde_json::json!({
        "file": args.file.display().to_string(),
        "frames": frames,
        "rounds": rounds,
        "people": people,
        "embeddings_per_scan": tracker.embeddings_made() as f64 / rounds as f64,
        "embedder_load_ms": load_s * 1e3,
        "decode_detect_fps": frames as f64 / median(plain, 0),
        "decode_detect_people_fps": frames as f64 / median(with_people, 0),
        "overhead_ratio_wall": median(with_people, 0) / median(plain, 0),
        "overhead_ratio_cpu": median(with_people, 1) / median(plain, 1),
        "overhead_ratio_wall_with_embedder_load": (median(with_people, 0) + load_s) / median(plain, 0),
        "target_ratio": 1.30,
        "loadavg_after": loadavg(),
    }))
}

/// Scans `file` `reps` times in each of `jobs` threads; returns the frames
/// done and the totals of one scan.
fn scan_jobs(
    file: &Path,
    cfg: &DetectorConfig,
    jobs: usize,
    reps: usize,
) -> Result<(i64, ScanTotals)> {
    let handles: Vec<_> = (0..jobs)
        .map(|_| {
            let (file, cfg) = (file.to_path_buf(), cfg.clone());
            std::thread::spawn(move || -> Result<(i64, ScanTotals)> {
                use_single_thread();
                let mut det = FaceDetector::new(&cfg)?;
                let (mut frames, mut totals) = (0, ScanTotals::default());
                for _ in 0..reps {
                    totals =
                        scan_video(&file, &mut det, |_, _, _| ControlFlow::Continue(()))?.totals;
                    frames += totals.frames_processed;
                }
                Ok((frames, totals))
            })
        })
        .collect();
    let (mut total, mut totals) = (0, ScanTotals::default());
    for h in handles {
        let (frames, t) = h
            .join()
            .map_err(|_| anyhow::anyhow!("job thread panicked"))??;
        total += frames;
        totals = t;
    }
    Ok((total, totals))
}

/// Runs `work` (returning frames done); gives frames per second and CPU use:
/// this process's CPU seconds per wall second, and the whole machine's busy
/// cores (so other load on the machine shows).
fn measured(
    work: impl FnOnce() -> Result<(i64, ScanTotals)>,
) -> Result<(f64, serde_json::Value, ScanTotals)> {
    let (p0, s0) = (process_cpu_s(), machine_busy_s());
    let t0 = Instant::now();
    let (frames, totals) = work()?;
    let wall = t0.elapsed().as_secs_f64();
    let (p1, s1) = (process_cpu_s(), machine_busy_s());
    let cpu = serde_json::json!({
        "wall_s": wall,
        "process_cores": (p1 - p0) / wall,
        "machine_busy_cores": (s1 - s0) / wall,
    });
    Ok((frames as f64 / wall, cpu, totals))
}

/// Reads every frame; keeps an evenly spread subset (within [`KEEP_BYTES`]) if asked.
fn decode_only(
    file: &Path,
    mut keep: Option<&mut Vec<vision::opencv::core::Mat>>,
) -> Result<(i64, f64)> {
    let mut reader = VideoReader::open(file)?;
    let step = keep_step(reader.info());
    let t0 = Instant::now();
    let mut n = 0;
    while let Some(frame) = reader.next_frame()? {
        if let Some(k) = keep.as_deref_mut() {
            if frame.index % step == 0 {
                k.push(frame.image);
            }
        }
        n += 1;
    }
    let secs = t0.elapsed().as_secs_f64();
    if n == 0 {
        bail!("no decodable frames in {}", file.display());
    }
    Ok((n, secs))
}

/// Keep every `step`-th frame so that the kept frames fit in [`KEEP_BYTES`].
fn keep_step(info: &vision::VideoInfo) -> i64 {
    let frame_bytes = (info.width as usize * info.height as usize * 3).max(1);
    let expected = info.frame_count.unwrap_or(1000).max(1) as usize;
    expected.div_ceil((KEEP_BYTES / frame_bytes).max(1)).max(1) as i64
}

fn print_text(r: &serde_json::Value) {
    let f = |k: &str| r[k].as_f64().unwrap_or(f64::NAN);
    println!(
        "file                     {}",
        r["file"].as_str().unwrap_or("")
    );
    println!(
        "frames                   {} (detect-only on {})",
        r["frames"], r["frames_detect_only"]
    );
    println!(
        "faces total/max/frames   {}/{}/{}",
        r["totals"]["faces_total"],
        r["totals"]["max_faces_in_frame"],
        r["totals"]["frames_with_faces"]
    );
    println!("decode only              {:>9.1} fps", f("decode_only_fps"));
    println!(
        "detect only              {:>9.2} ms/frame",
        f("detect_only_ms_per_frame")
    );
    println!(
        "decode+detect, 1 job     {:>9.1} fps (ideal 1/(t_dec+t_det) = {:.1})",
        f("one_job_fps"),
        f("ideal_one_job_fps")
    );
    println!(
        "decode+detect, {} jobs    {:>9.1} fps total",
        r["jobs"],
        f("n_jobs_fps")
    );
    println!(
        "pipeline ratio           {:>9.2} (target >= 0.8)",
        f("pipeline_ratio")
    );
    println!(
        "{}-jobs / 1-job           {:>9.2} (target >= 1.8 on 2 cores)",
        r["jobs"],
        f("n_jobs_ratio")
    );
    println!(
        "frames per CPU-second    {:>9.1} (1 job) / {:.1} (N jobs): equal means jobs do not slow each other",
        f("frames_per_cpu_second_1_job"),
        f("frames_per_cpu_second_n_jobs")
    );
    for (label, key) in [("1 job", "one_job_cpu"), ("N jobs", "n_jobs_cpu")] {
        let c = &r[key];
        println!(
            "cpu {label:<7}              {:.2} cores this process, {:.2} cores busy machine-wide ({:.1} s wall, {} scans/job)",
            c["process_cores"].as_f64().unwrap_or(f64::NAN),
            c["machine_busy_cores"].as_f64().unwrap_or(f64::NAN),
            c["wall_s"].as_f64().unwrap_or(f64::NAN),
            r["scans_per_job"]
        );
    }
    println!(
        "loadavg before / after   {} / {}",
        r["loadavg_before_after"][0].as_str().unwrap_or(""),
        r["loadavg_before_after"][1].as_str().unwrap_or("")
    );
    if let Some(o) = r["ffmpeg_options"].as_str() {
        println!("OPENCV_FFMPEG_CAPTURE_OPTIONS={o}");
    }
}
