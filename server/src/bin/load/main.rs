//! Load test of a running facetally server.
//!
//! `cargo run --release -p server --bin load -- --base-url http://127.0.0.1:3000`
//!
//! 1. Baseline: open-loop reads of `GET /api/videos` and `GET /api/profiles`, `--rps` each,
//!    on the idle server.
//! 2. Load: `--uploads` multipart uploads of `--video` all at once, while the same reads run
//!    for `--duration`.
//! 3. Drain: waits until every uploaded video is final.
//!
//! Prints a table (and with `--json` one JSON line) and exits non-zero when a read or an
//! upload failed, a video did not end `done`, or a load-phase read p99 is over
//! `--p99-limit-ms`. `scripts/load.sh` runs it against a fresh server.

mod progress;
mod reads;
mod report;
mod stats;
mod timeline;
mod uploads;

use anyhow::{bail, Context};
use clap::Parser;
use progress::{Counters, PhaseBar};
use report::Report;
use reqwest::{Client, Url};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use tokio::time::Instant;
use uploads::Upload;

#[derive(Parser, Debug)]
// A later flag wins, so scripts/load.sh's defaults can be overridden after `--`.
#[command(
    about = "Load test: concurrent uploads plus open-loop reads against a running facetally server",
    args_override_self = true
)]
struct Args {
    /// Where the server is.
    #[arg(
        long,
        env = "FACETALLY_BASE_URL",
        default_value = "http://127.0.0.1:3000"
    )]
    base_url: Url,
    /// Video uploaded every time (default: carphone_pristine.mp4 of the shared test data,
    /// `$FACETALLY_SHARED_DIR/data/videos` or `../shared/data/videos` next to the workspace).
    #[arg(long)]
    video: Option<PathBuf>,
    /// Uploads started at once at the beginning of the load phase.
    #[arg(long, default_value_t = 100)]
    uploads: usize,
    /// Reads per second on each endpoint.
    #[arg(long, default_value_t = 50.0)]
    rps: f64,
    /// Length of the load phase (e.g. `60s`, `1m`, `1500ms`).
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    duration: Duration,
    /// Length of the baseline phase; default: a sixth of `--duration`, at least 1 s.
    #[arg(long, value_parser = parse_duration)]
    baseline: Option<Duration>,
    /// Largest allowed p99 of the load-phase reads, per endpoint.
    #[arg(long, default_value_t = 50.0)]
    p99_limit_ms: f64,
    /// How long to wait, after the load phase, for every video to be final.
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    finish_timeout: Duration,
    /// Timeout of each single request.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    request_timeout: Duration,
    /// Ask for profiles (`create_profiles=true`) with every upload, so the jobs also store people.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    create_profiles: bool,
    /// Also print the summary as one JSON line.
    #[arg(long)]
    json: bool,
    /// Also print the load-phase reads second by second.
    #[arg(long)]
    timeline: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    match run(&args).await {
        Ok(report) => {
            print!("{}", report.table());
            if args.json {
                println!(
                    "{}",
                    serde_json::to_string(&report).expect("a report serialises")
                );
            }
            if report.failures.is_empty() {
                println!("PASS");
                ExitCode::SUCCESS
            } else {
                for failure in &report.failures {
                    println!("FAIL: {failure}");
                }
                ExitCode::FAILURE
            }
        }
        Err(error) => {
            eprintln!("load: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The three phases, then the verdict.
async fn run(args: &Args) -> anyhow::Result<Report> {
    if !(args.rps > 0.0 && args.rps.is_finite()) || args.uploads == 0 || args.duration.is_zero() {
        bail!("--rps, --uploads and --duration must be positive");
    }
    let video = args.video.clone().unwrap_or_else(default_video);
    let bytes = tokio::fs::read(&video)
        .await
        .with_context(|| format!("reading {}", video.display()))?;
    let filename = video
        .file_name()
        .map_or("video.mp4".into(), |n| n.to_string_lossy().into_owned());
    // Readers and the uploader are different clients with their own connections, as the
    // UI's readers and an uploading operator would be: a read never waits for an upload's
    // connection, nor takes over the idle connections of the other.
    let new_client = || {
        Client::builder()
            .timeout(args.request_timeout)
            .build()
            .context("building an HTTP client")
    };
    let (client, uploader) = (new_client()?, new_client()?);
    let health = client
        .get(args.base_url.join("/api/health")?)
        .send()
        .await
        .context("reaching the server")?;
    if !health.status().is_success() {
        bail!(
            "{} answers /api/health with {}",
            args.base_url,
            health.status()
        );
    }
    let baseline_s = args
        .baseline
        .unwrap_or((args.duration / 6).max(Duration::from_secs(1)));
    let loadavg_before = report::loadavg();
    tracing::info!(rps = args.rps, baseline = ?baseline_s, "baseline: reads on the idle server");
    let counters = Counters::default();
    let bar = PhaseBar::start("baseline", baseline_s, &counters, None);
    let (baseline, _) = reads::run(
        &client,
        &args.base_url,
        args.rps,
        baseline_s,
        counters.reads.clone(),
    )
    .await?;
    bar.finish();

    tracing::info!(uploads = args.uploads, duration = ?args.duration, "load: uploads at once, reads at the same rate");
    let counters = Counters::default();
    let upload = Upload {
        url: args.base_url.join("/api/videos")?,
        filename,
        bytes: bytes.into(),
        create_profiles: args.create_profiles,
    };
    let bar = PhaseBar::start("load", args.duration, &counters, Some(args.uploads));
    let started = Instant::now();
    let sent = uploads::start_all(&uploader, &upload, args.uploads, counters.uploads.clone());
    let (load, samples) = reads::run(
        &client,
        &args.base_url,
        args.rps,
        args.duration,
        counters.reads.clone(),
    )
    .await?;
    bar.finish();
    let (uploads, ids) = uploads::collect(sent, started).await;

    tracing::info!(
        videos = ids.len(),
        "waiting until every uploaded video is final"
    );
    let bar = progress::videos_bar(ids.len());
    let deadline = Instant::now() + args.finish_timeout;
    let videos = uploads::wait_final(&client, &upload.url, &ids, started, deadline, |n| {
        bar.set_position(n as u64)
    })
    .await;
    bar.finish_and_clear();

    let mut report = Report {
        rps: args.rps,
        baseline_s: baseline_s.as_secs_f64(),
        load_s: args.duration.as_secs_f64(),
        baseline,
        load,
        p99_ratio: Default::default(),
        uploads,
        videos,
        loadavg_before,
        loadavg_after: report::loadavg(),
        timeline: if args.timeline {
            timeline::seconds(&samples)
        } else {
            Vec::new()
        },
        failures: Vec::new(),
    };
    report.judge(args.p99_limit_ms);
    Ok(report)
}

/// carphone_pristine.mp4 of the shared test data, found like the tests find it.
fn default_video() -> PathBuf {
    std::env::var_os("FACETALLY_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
        .join("data/videos/carphone_pristine.mp4")
}

/// `60s`, `1m`, `1500ms`, or a bare number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(text.len()),
    );
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 60s, 1m or 500ms"))?;
    let seconds = match unit {
        "" | "s" => value,
        "ms" => value / 1e3,
        "m" | "min" => value * 60.0,
        _ => return Err(format!("unknown unit {unit:?} in {text:?}; use ms, s or m")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("{text:?} is not a positive duration"))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("10"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1500ms"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5h").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
