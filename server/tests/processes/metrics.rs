//! `FACETALLY_METRICS_ADDR`: a `worker` process, which serves no other HTTP, answers
//! `GET /metrics` there (behind the API token); a bad address stops it with a clear message.

use crate::instance::{sigterm, Instance};
use app::model::VideoStatus;
use openmetrics_parser::prometheus::parse_prometheus;
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use reqwest::header;
use std::time::{Duration, Instant};

const TOKEN: &str = "worker-metrics-token-0123456789";
const LIMIT: Duration = Duration::from_secs(180);

/// The address the worker's log says its metrics listener bound (`127.0.0.1:0` picks a free
/// port there, so no other test's process can take it between choosing and binding).
fn bound_metrics_addr(log: &str) -> Option<String> {
    let line = log.lines().find(|l| l.contains("metrics at /metrics"))?;
    let at = line.find("127.0.0.1:")?;
    let port: String = line[at + 10..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!port.is_empty()).then(|| format!("127.0.0.1:{port}"))
}

type Scrape = MetricsExposition<PrometheusType, PrometheusValue>;

/// The value of the counter or gauge `name` (0 when absent).
fn value(scrape: &Scrape, name: &str) -> f64 {
    labelled(scrape, name, None)
}

/// The value of the series of `name` with the `status` label, if given (0 when absent).
fn labelled(scrape: &Scrape, name: &str, status: Option<&str>) -> f64 {
    let Some(family) = scrape.families.get(name) else {
        return 0.0;
    };
    let found = family.iter_samples().find(|s| {
        status.is_none_or(|v| {
            s.get_labelset()
                .is_ok_and(|set| set.get_label_value("status") == Some(v))
        })
    });
    match found.map(|s| &s.value) {
        None => 0.0,
        Some(PrometheusValue::Counter(counter)) => counter.value.as_f64(),
        Some(PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n)) => n.as_f64(),
        Some(other) => panic!("{name} is not a single value: {other:?}"),
    }
}

async fn scrape(client: &reqwest::Client, url: &str) -> Scrape {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    parse_prometheus(&text).unwrap_or_else(|e| panic!("not the text format: {e:?}\n{text}"))
}

#[tokio::test]
async fn a_worker_serves_its_metrics_on_an_address_of_their_own() {
    let mut instance = Instance::new().await;
    instance
        .env
        .push(("FACETALLY_API_TOKEN".into(), TOKEN.into()));
    let mut headers = header::HeaderMap::new();
    headers.insert(
        header::AUTHORIZATION,
        format!("Bearer {TOKEN}").parse().unwrap(),
    );
    instance.client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    // Separate worker processes share a PostgreSQL database; on SQLite the worker runs alone.
    let processes = instance.is_postgres();
    if processes {
        instance.serve_workers = Some(0);
        instance.start().await;
    }
    instance
        .env
        .push(("FACETALLY_METRICS_ADDR".into(), "127.0.0.1:0".into()));
    let mut worker = instance.spawn_worker(1);
    let started = Instant::now();
    let addr = loop {
        if let Some(addr) = bound_metrics_addr(&instance.worker_log(1)) {
            break addr;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no metrics listener in 60 s\n{}",
            instance.worker_log(1)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let url = format!("http://{addr}/metrics");
    let first = scrape(&instance.client, &url).await;
    assert_eq!(value(&first, "facetally_job_slots"), 1.0);
    assert_eq!(value(&first, "facetally_frames_processed_total"), 0.0);
    let anonymous = reqwest::get(&url).await.unwrap();
    assert_eq!(anonymous.status(), 401, "the token is needed here too");
    let other = instance
        .client
        .get(format!("http://{addr}/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404, "only /metrics is served there");

    if processes {
        let video = instance.upload("carphone_pristine.mp4").await;
        let video = instance.wait_final(&video.id, LIMIT).await;
        assert_eq!(video.status, VideoStatus::Done, "{:?}", video.error);
        let scraped = scrape(&instance.client, &url).await;
        assert_eq!(
            value(&scraped, "facetally_frames_processed_total"),
            video.frames_processed as f64,
            "the worker counted the frames it processed"
        );
        assert_eq!(
            value(&scraped, "facetally_faces_found_total"),
            video.faces_total as f64
        );
        let done = labelled(&scraped, "facetally_videos", Some("done"));
        assert_eq!(done, 1.0, "read from the shared database");
    }
    let (exit, _) = sigterm(&mut worker).await.expect("the worker stops");
    assert!(exit.success(), "{exit}\n{}", instance.worker_log(1));
}

#[tokio::test]
async fn a_bad_metrics_address_stops_a_worker_with_a_clear_message() {
    let instance = Instance::new().await;
    let output = instance
        .command(&["worker"])
        .env("FACETALLY_METRICS_ADDR", "localhost:9465")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("FACETALLY_METRICS_ADDR must be an IP address and a port"),
        "{stderr}"
    );
}

#[tokio::test]
async fn serve_runs_one_job_slot_per_core_by_default() {
    let mut instance = Instance::new().await;
    instance.serve_workers = None;
    instance.start().await;
    let scrape = scrape(&instance.client, &instance.url("/metrics")).await;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(value(&scrape, "facetally_job_slots"), cores as f64);
    instance.sigterm().await;
}
