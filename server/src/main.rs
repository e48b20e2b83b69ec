//! `facetally serve` and `facetally scan`: wiring only.

use anyhow::Context;
use clap::Parser;
use server::config::{Cli, Command, Settings};
use server::startup::Application;
use std::process::ExitCode;

fn main() -> ExitCode {
    server::telemetry::init();
    let outcome = match Cli::parse().command {
        Command::Serve(settings) => serve(settings),
        Command::Worker(settings) => tokio::runtime::Runtime::new()
            .context("starting the async runtime")
            .and_then(|runtime| runtime.block_on(server::startup::run_worker(settings))),
        Command::Scan(args) => args.vision.detector_config().map_err(anyhow::Error::from).and_then(|detector| {
            // People are counted when an embedding model is found; faces are counted regardless.
            let people = args.vision.people_settings().ok();
            server::cli_scan::run(&args.files, args.json, &detector, people.as_ref())
        }),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let app = Application::build(settings).await?;
        tracing::info!(port = app.port(), "facetally is listening");
        app.run_until_stopped().await
    })
}
