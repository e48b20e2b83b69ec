//! `facetally serve`, `worker`, `scan`, `search` and `fsck`: wiring only.

use anyhow::Context;
use clap::Parser;
use server::config::{Cli, Command, FsckArgs, Settings};
use server::startup::Application;
use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

/// How long blocking tasks still running at exit may hold the process (a job stops at its
/// next frame; anything slower is abandoned).
const RUNTIME_STOP_LIMIT: Duration = Duration::from_secs(1);

fn main() -> ExitCode {
    server::telemetry::init();
    let outcome = match Cli::parse().command {
        Command::Serve(settings) => run_async(serve(settings)),
        Command::Worker(settings) => run_async(server::startup::run_worker(settings)),
        Command::Scan(args) => args
            .vision
            .detector_config()
            .map_err(anyhow::Error::from)
            .and_then(|detector| {
                // People are counted when an embedding model is found; faces are counted regardless.
                let people = args.vision.people_settings().ok();
                let options = server::cli_scan::ScanOptions {
                    json: args.json,
                    jobs: args
                        .jobs
                        .map_or_else(server::config::available_cores, usize::from),
                    segment_secs: args.segment_secs,
                };
                server::cli_scan::run(&args.files, options, &detector, people.as_ref())
            }),
        Command::Search(args) => run_async(server::cli_search::run(args)),
        Command::Fsck(args) => return fsck(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `future` on a new runtime, then stops the runtime without waiting long for
/// blocking tasks.
fn run_async<T>(future: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let outcome = runtime.block_on(future);
    runtime.shutdown_timeout(RUNTIME_STOP_LIMIT);
    outcome
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), "facetally is listening");
    app.run_until_stopped().await
}

/// Exit code 0: consistent (or all repaired); 1: problems remain; 2: the check failed.
fn fsck(args: &FsckArgs) -> ExitCode {
    match run_async(server::fsck::run(args)) {
        Ok(report) => {
            report.print(args.json);
            if report.consistent {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
