//! Typed configuration from command-line flags and `FACETALLY_*` environment variables.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

mod http;
pub use http::{ApiToken, HttpArgs};

/// facetally: counts faces in archive videos.
#[derive(Debug, Parser)]
#[command(name = "facetally", version, about)]
pub struct Cli {
    /// What to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The binary's sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (UI, REST API, jobs).
    Serve(Settings),
    /// Process queued videos from the shared database without serving HTTP (scale-out);
    /// only `/metrics` on `FACETALLY_METRICS_ADDR`, when set.
    Worker(Settings),
    /// Detect faces in video files without a server and print a summary.
    Scan(ScanArgs),
    /// Find everyone in the processed videos who looks like the face in a photo.
    Search(SearchArgs),
    /// Compare the database with storage and report what disagrees (`--repair` fixes it).
    ///
    /// Exit code: 0 consistent (or all repaired), 1 problems remain, 2 the check failed.
    Fsck(FsckArgs),
}

/// Arguments of `facetally fsck`: the database and storage settings of `serve`, plus these.
#[derive(Debug, Clone, Args)]
pub struct FsckArgs {
    /// Fix what was found: delete orphan objects and stale temp files, re-queue stuck
    /// videos, mark videos whose file is gone `failed` (rows are never deleted).
    #[arg(long)]
    pub repair: bool,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Objects and temp files changed less than this many seconds ago are left alone: they
    /// may belong to an upload being recorded right now by a running server.
    #[arg(long, default_value_t = 60)]
    pub grace_secs: u64,
    /// Where the database and storage are (the same settings as `serve`).
    #[command(flatten)]
    pub settings: Settings,
}

/// Arguments of `facetally search`: a photo, output options, and the settings of `serve`.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// The face photo (JPEG, PNG, WebP or BMP).
    pub photo: PathBuf,
    /// Print the result as JSON (the body of `POST /api/search`).
    #[arg(long)]
    pub json: bool,
    /// Lowest similarity shown, 0–1; default: the embedder's match threshold.
    #[arg(long, value_parser = parse_unit)]
    pub min_similarity: Option<f32>,
    /// Which face of the photo, 0 = the largest.
    #[arg(long)]
    pub face: Option<usize>,
    /// At most this many matches (1–200).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=200))]
    pub limit: u16,
    /// Search even with a small, blurred or turned face.
    #[arg(long)]
    pub force: bool,
    /// Where the database is, and the models (the same settings as `serve`).
    #[command(flatten)]
    pub settings: Settings,
}

fn parse_unit(raw: &str) -> Result<f32, String> {
    match raw.parse::<f32>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err("must be a number from 0 to 1".into()),
    }
}

/// Everything `facetally serve` needs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "FACETALLY_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Folder for the embedded database and uploaded files.
    #[arg(long, env = "FACETALLY_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`; default: SQLite file in the data dir.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// Where uploaded videos and face crops are kept: `file:///abs/path` or
    /// `s3://bucket/prefix` (with the usual `AWS_*` variables); default: `<data dir>/files`.
    #[arg(long, env = "FACETALLY_STORAGE_URL")]
    pub storage_url: Option<String>,
    /// Videos processed at once; default: the number of CPU cores; 0 serves the web only.
    #[arg(long, env = "FACETALLY_WORKERS")]
    pub workers: Option<usize>,
    /// CPU-bound pieces of work at once: jobs, upload probes and search photos; default: the
    /// number of CPU cores. Always at least the job slots plus one, a slot that only short
    /// work (probes, photos) may take, so an upload never waits for a video's job.
    #[arg(long, env = "FACETALLY_CPU_SLOTS")]
    pub cpu_slots: Option<usize>,
    /// A video longer than this many seconds is cut into time segments that every free job
    /// slot of this process takes a share of; 0 never cuts.
    #[arg(long, env = "FACETALLY_SEGMENT_SECS", default_value_t = DEFAULT_SEGMENT_SECS)]
    pub segment_secs: f64,
    /// Times a video (or one of its segments) is claimed before a run that stopped without
    /// finishing (the worker crashed or was killed) is given up: the video fails.
    #[arg(long, env = "FACETALLY_MAX_ATTEMPTS", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attempts: u32,
    /// Seconds a worker's hold on a video lasts without progress before another may take it.
    #[arg(long, env = "FACETALLY_LEASE_SECS", default_value_t = 15)]
    pub lease_secs: u64,
    /// Faults injected into jobs by tests (none from the command line or environment).
    #[arg(skip)]
    pub faults: crate::jobs::Faults,
    /// Largest accepted upload per file, in bytes.
    #[arg(long, env = "FACETALLY_MAX_UPLOAD_BYTES", default_value_t = 2 * 1024 * 1024 * 1024)]
    pub max_upload_bytes: u64,
    /// Face detection settings.
    #[command(flatten)]
    pub vision: VisionArgs,
    /// Who may call the API and how long a client may stall.
    #[command(flatten)]
    pub http: HttpArgs,
    /// Where alerts of watched profiles are sent.
    #[command(flatten)]
    pub webhooks: crate::webhooks::WebhookArgs,
}

impl Settings {
    /// The database URL to use, defaulting to a SQLite file in the data dir.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("facetally.db").display()
            )
        })
    }

    /// Jobs allowed to run at once; 0 means this process takes no jobs.
    pub fn worker_count(&self) -> usize {
        self.workers.unwrap_or_else(available_cores)
    }

    /// The CPU limiter of this process: `FACETALLY_CPU_SLOTS` permits (at least one more
    /// than the job slots), of which jobs may hold `FACETALLY_WORKERS`.
    pub fn cpu_limiter(&self) -> crate::cpu::CpuLimiter {
        let slots = self.cpu_slots.unwrap_or_else(available_cores);
        crate::cpu::CpuLimiter::new(slots, self.worker_count())
    }
}

/// Longest time segment of a video, seconds, when one video is shared by
/// several job slots: see docs/architecture.md for the measurement.
pub const DEFAULT_SEGMENT_SECS: f64 = 60.0;

/// CPU cores available to this process (at least 1).
pub fn available_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Face-detection settings shared by `serve` and `scan`.
#[derive(Debug, Clone, Args)]
pub struct VisionArgs {
    /// Folder with the ONNX models; default: ./models, then ../shared/models.
    #[arg(long, env = "FACETALLY_MODELS_DIR")]
    pub models_dir: Option<PathBuf>,
    /// Minimum detection score (0–1).
    #[arg(long, env = "FACETALLY_SCORE_THRESHOLD", default_value_t = 0.9)]
    pub score_threshold: f32,
    /// Non-maximum-suppression IoU threshold (0–1).
    #[arg(long, env = "FACETALLY_NMS_THRESHOLD", default_value_t = 0.3)]
    pub nms_threshold: f32,
    /// Frames whose larger side exceeds this are scaled down for detection.
    #[arg(long, env = "FACETALLY_DETECT_MAX_SIDE", default_value_t = 1280)]
    pub detect_max_side: i32,
    /// Face embedding model: `sface` or `mobilefacenet`; default: whichever model file is
    /// found, SFace first.
    #[arg(long, env = "FACETALLY_EMBEDDER", value_parser = parse_preset)]
    pub embedder: Option<vision::EmbedderPreset>,
    /// Cosine similarity from which two faces are the same person; default: the model's own.
    #[arg(long, env = "FACETALLY_MATCH_THRESHOLD")]
    pub match_threshold: Option<f32>,
    /// Usable detections a person needs to count (fewer is noise).
    #[arg(long, env = "FACETALLY_MIN_FACES", default_value_t = 3)]
    pub min_faces: usize,
    /// Inference runtime of both networks: `ort` (ONNX Runtime, from FACETALLY_ORT_LIB or
    /// where scripts/setup.sh installs it; an error at start if it does not load) or `opencv`;
    /// default: ort when its library loads, else opencv with a warning.
    #[arg(long, env = "FACETALLY_INFERENCE", value_parser = parse_inference)]
    pub inference: Option<vision::Inference>,
}

fn parse_inference(name: &str) -> Result<vision::Inference, String> {
    vision::Inference::parse(name).ok_or_else(|| "expected `ort` or `opencv`".into())
}

fn parse_preset(name: &str) -> Result<vision::EmbedderPreset, String> {
    vision::EmbedderPreset::parse(name).ok_or_else(|| "expected `mobilefacenet` or `sface`".into())
}

impl VisionArgs {
    /// Finds the detector model and builds the detector configuration.
    pub fn detector_config(&self) -> Result<vision::DetectorConfig, vision::VisionError> {
        let inference = vision::Inference::resolve(self.inference)?;
        let model = vision::locate_model(self.models_dir.as_deref(), vision::DETECTOR_MODEL_FILE)?;
        let mut config = vision::DetectorConfig::new(model);
        config.inference = inference;
        config.score_threshold = self.score_threshold;
        config.nms_threshold = self.nms_threshold;
        config.max_side = self.detect_max_side;
        Ok(config)
    }

    /// Finds the embedding model and builds the people-grouping settings.
    pub fn people_settings(&self) -> Result<vision::PeopleSettings, vision::VisionError> {
        let inference = vision::Inference::resolve(self.inference)?;
        let (preset, model_path) = self.embedder_model()?;
        let mut embedder = vision::EmbedderConfig::new(model_path, preset);
        embedder.inference = inference;
        let mut settings = vision::PeopleSettings::new(embedder);
        if let Some(threshold) = self.match_threshold {
            settings.match_threshold = threshold;
        }
        settings.min_faces = self.min_faces;
        Ok(settings)
    }

    fn embedder_model(&self) -> Result<(vision::EmbedderPreset, PathBuf), vision::VisionError> {
        use vision::EmbedderPreset::{MobileFaceNet, SFace};
        let locate = |preset: vision::EmbedderPreset| {
            vision::locate_model(self.models_dir.as_deref(), preset.model_file())
                .map(|path| (preset, path))
        };
        match self.embedder {
            Some(preset) => locate(preset),
            None => locate(SFace).or_else(|missing| locate(MobileFaceNet).map_err(|_| missing)),
        }
    }
}

/// Arguments of `facetally scan`.
#[derive(Debug, Clone, Args)]
pub struct ScanArgs {
    /// Video files to scan.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print the results as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Threads scanning at once; a long file is cut into segments so that one
    /// file uses them all. Default: the CPU cores.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Longest segment of a file, seconds (a file is also cut into at least
    /// `--jobs` segments of at least 10 s).
    #[arg(long, env = "FACETALLY_SEGMENT_SECS", default_value_t = DEFAULT_SEGMENT_SECS)]
    pub segment_secs: f64,
    /// Face detection settings.
    #[command(flatten)]
    pub vision: VisionArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_metrics_address_is_refused_with_an_example() {
        let parsed = Cli::try_parse_from(["facetally", "worker", "--metrics-addr", "localhost"]);
        let message = parsed
            .expect_err("a host name is not an address")
            .to_string();
        assert!(message.contains("127.0.0.1:9465"), "{message}");
        let parsed = Cli::try_parse_from(["facetally", "worker", "--metrics-addr", "0.0.0.0:9465"]);
        let Ok(Cli {
            command: Command::Worker(settings),
        }) = parsed
        else {
            panic!("a good address parses");
        };
        assert_eq!(
            settings.http.metrics_addr,
            Some("0.0.0.0:9465".parse().unwrap())
        );
    }
}
