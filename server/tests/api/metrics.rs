//! `GET /metrics`: the numbers move by what one processed video did (each app has its own
//! registry, so the tests running beside it do not count here), and the token guards it.

use crate::helpers::*;
use app::model::VideoStatus;
use openmetrics_parser::prometheus::parse_prometheus;
use openmetrics_parser::{MetricsExposition, PrometheusType, PrometheusValue};
use reqwest::header;
use std::time::Duration;

const TOKEN: &str = "metrics-test-token-0123456789";

/// A parsed scrape.
pub type Scrape = MetricsExposition<PrometheusType, PrometheusValue>;

/// `GET /metrics` with `client`, parsed as the Prometheus text format (version 0.0.4).
async fn scrape_with(app: &TestApp, client: &reqwest::Client) -> Scrape {
    let response = client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    parse_prometheus(&text).unwrap_or_else(|e| panic!("not the text format: {e:?}\n{text}"))
}

pub async fn scrape(app: &TestApp) -> Scrape {
    scrape_with(app, &app.client).await
}

/// The one series of the family `name` whose labels include `labels`.
fn series<'a>(
    scrape: &'a Scrape,
    name: &str,
    labels: &[(&str, &str)],
) -> Option<&'a PrometheusValue> {
    let family = scrape.families.get(name)?;
    let mut found = family
        .iter_samples()
        .filter(|s| {
            let set = s.get_labelset().ok();
            labels.iter().all(|(k, v)| {
                set.as_ref()
                    .is_some_and(|set| set.get_label_value(k) == Some(*v))
            })
        })
        .map(|s| &s.value);
    let first = found.next();
    assert!(found.next().is_none(), "one {name} {labels:?}");
    first
}

/// The value of a counter or gauge (0 when the series does not exist yet).
pub fn value(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    match series(scrape, name, labels) {
        None => 0.0,
        Some(PrometheusValue::Counter(counter)) => counter.value.as_f64(),
        Some(PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n)) => n.as_f64(),
        Some(other) => panic!("{name} is not a single value: {other:?}"),
    }
}

/// Observations of a histogram series (its `+Inf` bucket; 0 when it does not exist yet).
pub fn observations(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    match series(scrape, name, labels) {
        None => 0.0,
        Some(PrometheusValue::Histogram(histogram)) => histogram
            .buckets
            .iter()
            .find(|b| b.upper_bound == f64::INFINITY)
            .expect("a +Inf bucket")
            .count
            .as_f64(),
        Some(other) => panic!("{name} is not a histogram: {other:?}"),
    }
}

/// Every label value of every series.
fn label_values(scrape: &Scrape) -> Vec<String> {
    scrape
        .families
        .values()
        .flat_map(|family| family.iter_samples())
        .filter_map(|s| s.get_labelset().ok())
        .flat_map(|set| set.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>())
        .collect()
}

/// Scrapes until `ready` holds (the hooks after a job's final write run just after it).
pub async fn scrape_until(app: &TestApp, ready: impl Fn(&Scrape) -> bool) -> Scrape {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let scraped = scrape(app).await;
        if ready(&scraped) {
            return scraped;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "metrics never got there"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn metrics_count_what_one_processed_video_did() {
    let app = spawn_app().await;
    let before = scrape(&app).await;
    assert_eq!(value(&before, "facetally_frames_processed_total", &[]), 0.0);
    assert_eq!(value(&before, "facetally_upload_bytes_total", &[]), 0.0);
    assert_eq!(value(&before, "facetally_job_slots", &[]), 2.0);
    assert_eq!(
        value(&before, "facetally_videos", &[("status", "done")]),
        0.0
    );

    let name = "carphone_pristine.mp4";
    let size = std::fs::metadata(video(name)).unwrap().len() as f64;
    let created = app.upload_shared(&[name]).await.remove(0);
    let video = app.wait_final(&created.id, Duration::from_secs(240)).await;
    assert_eq!(video.status, VideoStatus::Done, "{:?}", video.error);
    assert!(video.faces_total > 0, "a video with faces");

    // Open one event stream: it counts while it is open.
    let events = app.events().await;
    let after = scrape_until(&app, |s| {
        observations(s, "facetally_job_duration_seconds", &[("status", "done")]) == 1.0
            && value(s, "facetally_jobs_running", &[]) == 0.0
    })
    .await;
    assert_eq!(
        value(&after, "facetally_frames_processed_total", &[]),
        video.frames_processed as f64
    );
    assert_eq!(
        value(&after, "facetally_faces_found_total", &[]),
        video.faces_total as f64
    );
    assert_eq!(
        value(&after, "facetally_videos", &[("status", "done")]),
        1.0
    );
    assert_eq!(
        value(&after, "facetally_videos", &[("status", "queued")]),
        0.0
    );
    assert_eq!(value(&after, "facetally_queue_depth", &[]), 0.0);
    assert_eq!(value(&after, "facetally_upload_bytes_total", &[]), size);
    assert!(value(&after, "facetally_last_job_frames_per_second", &[]) > 0.0);
    assert_eq!(value(&after, "facetally_sse_streams_open", &[]), 1.0);
    let upload = [
        ("method", "POST"),
        ("route", "/api/videos"),
        ("status", "201"),
    ];
    assert_eq!(value(&after, "facetally_http_requests_total", &upload), 1.0);
    assert_eq!(
        observations(
            &after,
            "facetally_http_request_duration_seconds",
            &[("method", "POST"), ("route", "/api/videos")]
        ),
        1.0
    );
    // Polling the video is counted under its route template: no id in any label.
    let polls = [
        ("method", "GET"),
        ("route", "/api/videos/{id}"),
        ("status", "200"),
    ];
    assert!(value(&after, "facetally_http_requests_total", &polls) >= 1.0);
    let labels = label_values(&after);
    assert!(
        labels.iter().all(|v| !v.contains(&video.id)),
        "an id in a label: {labels:?}"
    );

    drop(events);
    scrape_until(&app, |s| value(s, "facetally_sse_streams_open", &[]) == 0.0).await;
    app.stop().await;
}

#[tokio::test]
async fn metrics_need_the_api_token_when_one_is_set() {
    let mut options = AppOptions::default();
    options.http.api_token = Some(server::config::ApiToken::parse(TOKEN).unwrap());
    let app = spawn_app_with(options).await;
    let anonymous = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("not-the-metrics-token-at-all")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    let mut headers = header::HeaderMap::new();
    let bearer = format!("Bearer {TOKEN}");
    headers.insert(header::AUTHORIZATION, bearer.parse().unwrap());
    let prometheus = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let scraped = scrape_with(&app, &prometheus).await;
    // The refused scrapes were counted, under the route's template.
    let refused = [("route", "/metrics"), ("status", "401")];
    assert_eq!(
        value(&scraped, "facetally_http_requests_total", &refused),
        2.0
    );
    app.stop().await;
}

#[tokio::test]
async fn metrics_are_in_the_openapi_document_as_text() {
    let app = spawn_app().await;
    let spec: serde_json::Value = app.get_json("/api/openapi.json").await;
    let content = &spec["paths"]["/metrics"]["get"]["responses"]["200"]["content"];
    assert!(content.get("text/plain").is_some(), "{content}");
    app.stop().await;
}
