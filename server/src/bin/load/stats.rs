//! Request samples and their summary: count, errors, percentiles, achieved rate.

use serde::Serialize;
use std::time::Duration;

/// One finished request.
#[derive(Debug, Clone)]
pub struct Sample {
    /// When the request was due, from the start of its phase.
    pub at: Duration,
    /// From the scheduled send time to the last byte of the response.
    pub latency: Duration,
    /// `None` for a 2xx answer, else the status or the transport error.
    pub error: Option<String>,
}

/// The `p`-th percentile (0–100) of ascending `sorted` samples by the nearest-rank method:
/// the smallest sample with at least `p` % of all samples at or below it. `None` when empty.
pub fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    // The epsilon keeps e.g. 99 % of 100 samples at rank 99 despite binary rounding.
    let rank = (p.clamp(0.0, 100.0) * n as f64 / 100.0 - 1e-9).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}

/// What a set of samples amounts to; latencies in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Requests finished.
    pub count: usize,
    /// Requests that failed (non-2xx or transport error).
    pub errors: usize,
    /// Median latency.
    pub p50_ms: f64,
    /// 90th percentile latency.
    pub p90_ms: f64,
    /// 99th percentile latency.
    pub p99_ms: f64,
    /// Slowest request.
    pub max_ms: f64,
    /// Requests finished per second of the phase.
    pub rps: f64,
    /// The first few distinct errors, for the report.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub first_errors: Vec<String>,
}

impl Summary {
    /// Summarises `samples` gathered over `elapsed`.
    pub fn of(samples: &[Sample], elapsed: Duration) -> Self {
        let mut sorted: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
        sorted.sort_unstable();
        let ms = |p: f64| percentile(&sorted, p).map_or(0.0, |d| d.as_secs_f64() * 1e3);
        let mut first_errors: Vec<String> = Vec::new();
        for error in samples.iter().filter_map(|s| s.error.as_ref()) {
            if first_errors.len() < 3 && !first_errors.contains(error) {
                first_errors.push(error.clone());
            }
        }
        Self {
            count: samples.len(),
            errors: samples.iter().filter(|s| s.error.is_some()).count(),
            p50_ms: ms(50.0),
            p90_ms: ms(90.0),
            p99_ms: ms(99.0),
            max_ms: ms(100.0),
            rps: samples.len() as f64 / elapsed.as_secs_f64().max(1e-9),
            first_errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_millis).collect()
    }

    #[test]
    fn nearest_rank_percentiles_of_one_to_a_hundred() {
        let sorted = ms(1..=100);
        assert_eq!(percentile(&sorted, 50.0), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&sorted, 90.0), Some(Duration::from_millis(90)));
        assert_eq!(percentile(&sorted, 99.0), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&sorted, 100.0), Some(Duration::from_millis(100)));
        assert_eq!(percentile(&sorted, 0.0), Some(Duration::from_millis(1)));
    }

    #[test]
    fn percentiles_of_small_and_empty_sets() {
        assert_eq!(percentile(&[], 99.0), None);
        assert_eq!(percentile(&ms([7]), 50.0), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&ms([7]), 99.0), Some(Duration::from_millis(7)));
        // Of 10 samples, p99 is the largest: one slow request in ten shows.
        let sorted = ms([1, 1, 1, 1, 1, 1, 1, 1, 1, 500]);
        assert_eq!(percentile(&sorted, 90.0), Some(Duration::from_millis(1)));
        assert_eq!(percentile(&sorted, 99.0), Some(Duration::from_millis(500)));
        // p99.9 of 1000 samples is the 999th.
        let sorted = ms(1..=1000);
        assert_eq!(percentile(&sorted, 99.9), Some(Duration::from_millis(999)));
    }

    #[test]
    fn summary_counts_errors_and_rate() {
        let sample = |ms: u64, error: Option<&str>| Sample {
            at: Duration::ZERO,
            latency: Duration::from_millis(ms),
            error: error.map(str::to_owned),
        };
        let samples = vec![
            sample(30, None),
            sample(10, Some("HTTP 500")),
            sample(20, None),
            sample(40, Some("HTTP 500")),
        ];
        let summary = Summary::of(&samples, Duration::from_secs(2));
        assert_eq!((summary.count, summary.errors), (4, 2));
        assert_eq!((summary.p50_ms, summary.max_ms), (20.0, 40.0));
        assert_eq!(summary.rps, 2.0);
        assert_eq!(summary.first_errors, vec!["HTTP 500".to_owned()]);
    }
}
