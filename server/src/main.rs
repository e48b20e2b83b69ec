//! `facetally serve` and `facetally scan`: wiring only.

use anyhow::Context;
use clap::Parser;
use server::config::{Cli, Command};
use server::startup::Application;

fn main() -> anyhow::Result<()> {
    server::telemetry::init();
    match Cli::parse().command {
        Command::Serve(settings) => serve(settings),
        Command::Scan(args) => {
            let detector = args.vision.detector_config()?;
            server::cli_scan::run(&args.files, args.json, &detector)
        }
    }
}

fn serve(settings: server::config::Settings) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let app = Application::build(settings).await?;
        tracing::info!(port = app.port(), "facetally is listening");
        app.run_until_stopped().await
    })
}
