//! Unit tests of the metrics: encoded names and labels, per-pass counting.

use super::*;

#[test]
fn a_meter_adds_only_what_the_totals_grew_by() {
    let metrics = Metrics::new();
    let mut meter = metrics.work_meter();
    let mut totals = vision::ScanTotals::default();
    for faces in [0, 2, 1] {
        totals.add_frame(faces);
        meter.observe(&totals);
    }
    meter.observe(&totals);
    assert_eq!(metrics.inner.frames.get(), 3);
    assert_eq!(metrics.inner.faces.get(), 3);
    let mut other = metrics.work_meter();
    totals.add_frame(1);
    other.observe(&totals);
    assert_eq!(metrics.inner.frames.get(), 7, "a new pass counts from zero");
}

#[test]
fn names_carry_the_prefix_and_units() {
    let metrics = Metrics::new();
    metrics.uploaded(10);
    metrics.set_videos(&[("done".into(), 2)]);
    let route = "/api/videos/{id}".to_owned();
    metrics.request("GET", route, 200, Duration::from_millis(20));
    let stream = metrics.sse_stream();
    let text = metrics.encode();
    for expected in [
        "facetally_upload_bytes_total 10",
        "facetally_videos{status=\"done\"} 2",
        "facetally_videos{status=\"paused\"} 0",
        "facetally_sse_streams_open 1",
        "# TYPE facetally_http_request_duration_seconds histogram",
        "facetally_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/videos/{id}\",le=\"0.025\"} 1",
        "facetally_http_requests_total{method=\"GET\",route=\"/api/videos/{id}\",status=\"200\"} 1",
        "# TYPE facetally_frames_processed_total counter",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    drop(stream);
    assert!(metrics.encode().contains("facetally_sse_streams_open 0"));
}
