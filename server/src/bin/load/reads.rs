//! Open-loop read traffic: GETs sent by a fixed-rate clock, each on its own task, so a slow
//! answer never delays the next request (no coordinated omission).

use crate::stats::{Sample, Summary};
use reqwest::{Client, Url};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The endpoints read, each at the full rate.
pub const ENDPOINTS: [&str; 2] = ["/api/videos", "/api/profiles"];

/// The reads of one endpoint in one phase.
#[derive(Debug, Clone, Serialize)]
pub struct EndpointReads {
    /// The path read.
    pub path: String,
    /// What the reads amount to.
    #[serde(flatten)]
    pub summary: Summary,
}

/// Reads of one phase, per endpoint (in [`ENDPOINTS`] order).
pub type PhaseReads = Vec<EndpointReads>;

/// Reads every endpoint at `rps` requests per second for `duration`; `finished` counts
/// the answers as they arrive (for the progress bar). Returns the summaries and every sample.
pub async fn run(
    client: &Client,
    base: &Url,
    rps: f64,
    duration: Duration,
    finished: Arc<AtomicU64>,
) -> anyhow::Result<(PhaseReads, Vec<Sample>)> {
    let start = Instant::now();
    let mut streams = Vec::new();
    for path in ENDPOINTS {
        let url = base.join(path)?;
        let (client, finished) = (client.clone(), finished.clone());
        streams.push((
            path,
            tokio::spawn(stream(client, url, rps, duration, start, finished)),
        ));
    }
    let (mut endpoints, mut all) = (Vec::new(), Vec::new());
    for (path, handle) in streams {
        let (samples, elapsed) = handle.await?;
        endpoints.push(EndpointReads {
            path: path.to_owned(),
            summary: Summary::of(&samples, elapsed),
        });
        all.extend(samples);
    }
    Ok((endpoints, all))
}

/// One endpoint: request `i` is due at `start + i / rps`; all answers are awaited at the
/// end. Returns the samples and the time from `start` to the last answer.
async fn stream(
    client: Client,
    url: Url,
    rps: f64,
    duration: Duration,
    start: Instant,
    finished: Arc<AtomicU64>,
) -> (Vec<Sample>, Duration) {
    let period = Duration::from_secs_f64(1.0 / rps);
    let total = (duration.as_secs_f64() * rps).round() as u64;
    let mut pending = Vec::with_capacity(total as usize);
    for i in 0..total {
        let due = start + period.mul_f64(i as f64);
        tokio::time::sleep_until(due).await;
        let (client, url, finished) = (client.clone(), url.clone(), finished.clone());
        pending.push(tokio::spawn(async move {
            let sample = read_once(&client, url, start, due).await;
            finished.fetch_add(1, Ordering::Relaxed);
            sample
        }));
    }
    let mut samples = Vec::with_capacity(pending.len());
    for task in pending {
        samples.push(task.await.unwrap_or_else(|error| Sample {
            at: Duration::ZERO,
            latency: Duration::ZERO,
            error: Some(format!("read task failed: {error}")),
        }));
    }
    (samples, start.elapsed().max(duration))
}

/// One GET with its whole body; latency counts from `due`, not from the actual send.
async fn read_once(client: &Client, url: Url, start: Instant, due: Instant) -> Sample {
    let answer = async {
        let response = client.get(url).send().await?;
        let status = response.status();
        response.bytes().await?;
        Ok::<_, reqwest::Error>(status)
    }
    .await;
    let error = match answer {
        Ok(status) if status.is_success() => None,
        Ok(status) => Some(format!("HTTP {status}")),
        Err(error) => Some(describe(&error)),
    };
    if let Some(error) = &error {
        tracing::warn!(%error, "read failed");
    }
    Sample {
        at: due - start,
        latency: due.elapsed(),
        error,
    }
}

/// A transport error with its causes (reqwest's own message alone rarely says what broke).
pub fn describe(error: &reqwest::Error) -> String {
    let mut text = format!("request failed: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
