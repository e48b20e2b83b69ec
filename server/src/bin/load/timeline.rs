//! The load phase's reads second by second (`--timeline`), to see when they were slow:
//! during the upload burst, while jobs run, or after the queue drained.

use crate::stats::{Sample, Summary};
use serde::Serialize;
use std::time::Duration;

/// The reads due in one second of the phase, all endpoints together.
#[derive(Debug, Clone, Serialize)]
pub struct Second {
    /// Seconds from the start of the phase.
    pub second: u64,
    /// Reads due in this second.
    pub reads: usize,
    /// Of which failed.
    pub errors: usize,
    /// Median latency.
    pub p50_ms: f64,
    /// 99th percentile latency.
    pub p99_ms: f64,
    /// Slowest read.
    pub max_ms: f64,
}

/// Groups `samples` by the second they were due in.
pub fn seconds(samples: &[Sample]) -> Vec<Second> {
    let Some(last) = samples.iter().map(|s| s.at.as_secs()).max() else {
        return Vec::new();
    };
    let mut buckets: Vec<Vec<Sample>> = vec![Vec::new(); last as usize + 1];
    for sample in samples {
        buckets[sample.at.as_secs() as usize].push(sample.clone());
    }
    buckets
        .iter()
        .enumerate()
        .map(|(second, bucket)| {
            let s = Summary::of(bucket, Duration::from_secs(1));
            Second {
                second: second as u64,
                reads: s.count,
                errors: s.errors,
                p50_ms: s.p50_ms,
                p99_ms: s.p99_ms,
                max_ms: s.max_ms,
            }
        })
        .collect()
}

/// The timeline as a text table.
pub fn table(seconds: &[Second]) -> String {
    let mut out = format!(
        "{:>6} {:>6} {:>6} {:>8} {:>8} {:>8}\n",
        "second", "reads", "errors", "p50 ms", "p99 ms", "max ms"
    );
    for s in seconds {
        out += &format!(
            "{:>6} {:>6} {:>6} {:>8.1} {:>8.1} {:>8.1}\n",
            s.second, s.reads, s.errors, s.p50_ms, s.p99_ms, s.max_ms
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_fall_into_the_second_they_were_due_in() {
        let sample = |at_ms: u64, ms: u64| Sample {
            at: Duration::from_millis(at_ms),
            latency: Duration::from_millis(ms),
            error: None,
        };
        let timeline = seconds(&[sample(0, 5), sample(999, 7), sample(2500, 300)]);
        assert_eq!(timeline.len(), 3);
        assert_eq!((timeline[0].reads, timeline[0].max_ms), (2, 7.0));
        assert_eq!(timeline[1].reads, 0);
        assert_eq!((timeline[2].reads, timeline[2].p99_ms), (1, 300.0));
        assert!(seconds(&[]).is_empty());
    }
}
