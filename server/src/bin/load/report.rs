//! The figures of a run, the checks they must pass, and how they are printed.

use crate::reads::PhaseReads;
use crate::stats::Summary;
use crate::uploads::Drain;
use serde::Serialize;
use std::collections::BTreeMap;

/// Everything measured in one run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Requests per second sent to each endpoint.
    pub rps: f64,
    /// Seconds of the idle-server phase.
    pub baseline_s: f64,
    /// Seconds of the phase under load.
    pub load_s: f64,
    /// Reads on the idle server.
    pub baseline: PhaseReads,
    /// Reads while the uploads arrive and the jobs run.
    pub load: PhaseReads,
    /// Load-phase p99 over baseline p99, per endpoint.
    pub p99_ratio: BTreeMap<String, f64>,
    /// The uploads, latency from the common start.
    pub uploads: Summary,
    /// Where the uploaded videos ended.
    pub videos: Drain,
    /// `/proc/loadavg` (1, 5, 15 min) before the baseline and after the drain.
    pub loadavg_before: Option<[f64; 3]>,
    /// See `loadavg_before`.
    pub loadavg_after: Option<[f64; 3]>,
    /// Load-phase reads per second (with `--timeline`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<crate::timeline::Second>,
    /// The checks that failed, one sentence each; empty when the run passed.
    pub failures: Vec<String>,
}

impl Report {
    /// Fills in the ratios and the failed checks against `p99_limit_ms`.
    pub fn judge(&mut self, p99_limit_ms: f64) {
        self.p99_ratio = self
            .load
            .iter()
            .filter_map(|load| {
                let base = self.baseline.iter().find(|b| b.path == load.path)?;
                Some((
                    load.path.clone(),
                    load.summary.p99_ms / base.summary.p99_ms.max(1e-3),
                ))
            })
            .collect();
        self.failures = failures(self, p99_limit_ms);
    }

    /// The human-readable table.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<15} {:<9} {:>6} {:>6} {:>8} {:>8} {:>8} {:>8} {:>7}\n",
            "reads", "phase", "count", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "rps"
        );
        for (phase, reads) in [("baseline", &self.baseline), ("load", &self.load)] {
            for r in reads {
                let s = &r.summary;
                out += &format!(
                    "{:<15} {:<9} {:>6} {:>6} {:>8.1} {:>8.1} {:>8.1} {:>8.1} {:>7.1}\n",
                    r.path, phase, s.count, s.errors, s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms, s.rps
                );
            }
        }
        let ratios: Vec<String> = self
            .p99_ratio
            .iter()
            .map(|(path, r)| format!("{path} {r:.1}x"))
            .collect();
        out += &format!("p99 load/baseline: {}\n", ratios.join(", "));
        let u = &self.uploads;
        out += &format!(
            "uploads: {} sent at once, {} errors, latency p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms\n",
            u.count, u.errors, u.p50_ms, u.p99_ms, u.max_ms
        );
        let v = &self.videos;
        let others: Vec<String> = v
            .statuses
            .iter()
            .filter(|(s, _)| s.as_str() != "done")
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        let queue = v.queue_s.map_or("?".into(), |s| format!("{s:.1}"));
        out += &format!(
            "videos: {}/{} done (others: {}); queue drained in {queue} s (first upload stored to last video final), \
             {:.2} videos/s; seen all final {:.1} s after the load phase began{}\n",
            v.done(),
            v.videos,
            if others.is_empty() { "none".into() } else { others.join(", ") },
            v.videos_per_s,
            v.drained_s,
            if v.timed_out { " (timed out)" } else { "" },
        );
        let avg = |a: Option<[f64; 3]>| {
            a.map_or("?".into(), |[one, five, fifteen]| {
                format!("{one:.2} {five:.2} {fifteen:.2}")
            })
        };
        out += &format!(
            "load average: before {}, after {}\n",
            avg(self.loadavg_before),
            avg(self.loadavg_after)
        );
        if !self.timeline.is_empty() {
            out += &format!(
                "load-phase reads by second (both endpoints):\n{}",
                crate::timeline::table(&self.timeline)
            );
        }
        out
    }
}

/// Each failed check as a sentence: read or upload errors, unfinished videos, slow reads.
fn failures(report: &Report, p99_limit_ms: f64) -> Vec<String> {
    let mut failed = Vec::new();
    for (phase, reads) in [("baseline", &report.baseline), ("load", &report.load)] {
        for r in reads.iter().filter(|r| r.summary.errors > 0) {
            let first = r.summary.first_errors.join("; ");
            failed.push(format!(
                "{} of {} {phase} reads of {} failed ({first})",
                r.summary.errors, r.summary.count, r.path
            ));
        }
    }
    for r in report
        .load
        .iter()
        .filter(|r| r.summary.p99_ms > p99_limit_ms)
    {
        failed.push(format!(
            "load-phase p99 of {} is {:.1} ms, over the {p99_limit_ms} ms limit",
            r.path, r.summary.p99_ms
        ));
    }
    let u = &report.uploads;
    if u.errors > 0 {
        failed.push(format!(
            "{} of {} uploads failed ({})",
            u.errors,
            u.count,
            u.first_errors.join("; ")
        ));
    }
    let v = &report.videos;
    if v.done() < u.count {
        failed.push(format!(
            "{} of {} uploaded videos are done: {:?}{}",
            v.done(),
            u.count,
            v.statuses,
            if v.timed_out {
                " at the finish timeout"
            } else {
                ""
            }
        ));
    }
    if v.poll_errors > 0 {
        failed.push(format!("{} polls of the video list failed", v.poll_errors));
    }
    failed
}

/// `/proc/loadavg`'s three averages, where there is one.
pub fn loadavg() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reads::EndpointReads;

    fn reads(p99_ms: f64, errors: usize) -> PhaseReads {
        let summary = Summary {
            count: 100,
            errors,
            p99_ms,
            ..Summary::default()
        };
        vec![EndpointReads {
            path: "/api/videos".into(),
            summary,
        }]
    }

    fn report(load_p99: f64, read_errors: usize, done: usize) -> Report {
        let mut videos = Drain {
            videos: 3,
            ..Drain::default()
        };
        videos.statuses.insert("done".into(), done);
        Report {
            rps: 50.0,
            baseline_s: 1.0,
            load_s: 1.0,
            baseline: reads(2.0, 0),
            load: reads(load_p99, read_errors),
            p99_ratio: BTreeMap::new(),
            uploads: Summary {
                count: 3,
                ..Summary::default()
            },
            videos,
            loadavg_before: None,
            loadavg_after: None,
            timeline: Vec::new(),
            failures: Vec::new(),
        }
    }

    #[test]
    fn a_clean_fast_run_passes() {
        let mut run = report(10.0, 0, 3);
        run.judge(50.0);
        assert!(run.failures.is_empty(), "{:?}", run.failures);
        assert_eq!(run.p99_ratio["/api/videos"], 5.0);
    }

    #[test]
    fn each_broken_check_is_named() {
        let mut run = report(80.0, 1, 2);
        run.judge(50.0);
        let all = run.failures.join("\n");
        assert_eq!(run.failures.len(), 3, "{all}");
        assert!(
            all.contains("1 of 100 load reads of /api/videos failed"),
            "{all}"
        );
        assert!(all.contains("p99 of /api/videos is 80.0 ms"), "{all}");
        assert!(all.contains("2 of 3 uploaded videos are done"), "{all}");
    }
}
