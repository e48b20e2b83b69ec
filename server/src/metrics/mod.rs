//! Prometheus metrics. Each process (each application, in the tests) has its own
//! [`Metrics`]: a `prometheus-client` registry and the handles the hooks write to, so two
//! applications in one test process never mix their numbers.
//!
//! - `http`: the middleware counting requests by route template and status;
//! - `scrape`: the gauges computed when scraped (videos by status from the database, job
//!   slots) and the text a scrape gets;
//! - `listener`: the `/metrics`-only listener of `FACETALLY_METRICS_ADDR`.

mod http;
mod listener;
mod scrape;

pub use http::track_requests;
pub use listener::MetricsListener;
pub use scrape::Exporter;

use app::model::{Video, VideoStatus};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

/// Prefix of every metric name.
pub const PREFIX: &str = "facetally";

/// Every status a video can have (each gets a `facetally_videos` series, 0 when none).
const STATUSES: [VideoStatus; 6] = [
    VideoStatus::Queued,
    VideoStatus::Processing,
    VideoStatus::Done,
    VideoStatus::Failed,
    VideoStatus::Cancelled,
    VideoStatus::Paused,
];

/// Upper bounds of the HTTP latency buckets, seconds (uploads of large files take long).
const HTTP_BUCKETS: [f64; 14] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
];

/// The process's metrics. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Handles>,
    registry: Arc<Registry>,
}

/// What the hooks write to; every one is registered in the registry.
struct Handles {
    frames: Counter,
    faces: Counter,
    last_job_fps: Gauge<f64, AtomicU64>,
    job_duration: Family<StatusLabel, Histogram, fn() -> Histogram>,
    http_requests: Family<RequestLabels, Counter>,
    http_duration: Family<RouteLabels, Histogram, fn() -> Histogram>,
    sse_streams: Gauge,
    upload_bytes: Counter,
    videos: Family<StatusLabel, Gauge>,
    queue_depth: Gauge,
    jobs_running: Gauge,
    job_slots: Gauge,
    cpu_slots: Gauge,
    short_work_running: Gauge,
    short_work_peak: Gauge,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

fn job_duration_histogram() -> Histogram {
    // 1 s to about 4.5 hours.
    Histogram::new(exponential_buckets(1.0, 2.0, 15))
}

fn http_histogram() -> Histogram {
    Histogram::new(HTTP_BUCKETS)
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A new registry with every metric registered, all at zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix(PREFIX);
        let inner = Handles {
            frames: Counter::default(),
            faces: Counter::default(),
            last_job_fps: Gauge::default(),
            job_duration: Family::new_with_constructor(job_duration_histogram),
            http_requests: Family::default(),
            http_duration: Family::new_with_constructor(http_histogram),
            sse_streams: Gauge::default(),
            upload_bytes: Counter::default(),
            videos: Family::default(),
            queue_depth: Gauge::default(),
            jobs_running: Gauge::default(),
            job_slots: Gauge::default(),
            cpu_slots: Gauge::default(),
            short_work_running: Gauge::default(),
            short_work_peak: Gauge::default(),
        };
        let r = &mut registry;
        r.register(
            "frames_processed",
            "Frames of videos processed by this process (those a video's frames_processed counts), counted as they are processed",
            inner.frames.clone(),
        );
        r.register(
            "faces_found",
            "Faces detected by this process in those frames (as a video's faces_total sums them), counted as they are found",
            inner.faces.clone(),
        );
        r.register(
            "last_job_frames_per_second",
            "Processing speed of the last video this process finished (done), frames per second",
            inner.last_job_fps.clone(),
        );
        r.register_with_unit(
            "job_duration",
            "Time from claiming a video to its final write (done, failed or cancelled), by that status",
            Unit::Seconds,
            inner.job_duration.clone(),
        );
        r.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status code",
            inner.http_requests.clone(),
        );
        r.register_with_unit(
            "http_request_duration",
            "Time to the response head of HTTP requests, by method and route template",
            Unit::Seconds,
            inner.http_duration.clone(),
        );
        r.register(
            "sse_streams_open",
            "Open server-sent event streams (/api/events)",
            inner.sse_streams.clone(),
        );
        r.register_with_unit(
            "upload",
            "Bytes of video files received by POST /api/videos (also of uploads then refused)",
            Unit::Bytes,
            inner.upload_bytes.clone(),
        );
        r.register(
            "videos",
            "Videos in the database by status (read from the database when scraped)",
            inner.videos.clone(),
        );
        r.register(
            "queue_depth",
            "Videos waiting for a job slot (status queued; read from the database when scraped)",
            inner.queue_depth.clone(),
        );
        r.register(
            "jobs_running",
            "Job slots of this process busy with a video or a segment of one",
            inner.jobs_running.clone(),
        );
        r.register(
            "job_slots",
            "Job slots of this process (FACETALLY_WORKERS)",
            inner.job_slots.clone(),
        );
        r.register(
            "cpu_slots",
            "CPU permits of this process shared by jobs, upload probes and search photos (FACETALLY_CPU_SLOTS, at least the job slots plus one)",
            inner.cpu_slots.clone(),
        );
        r.register(
            "short_work_running",
            "Upload probes and search photos running now under a CPU permit",
            inner.short_work_running.clone(),
        );
        r.register(
            "short_work_peak",
            "The most upload probes and search photos that ran at once since the process started",
            inner.short_work_peak.clone(),
        );
        Self {
            inner: Arc::new(inner),
            registry: Arc::new(registry),
        }
    }

    /// A meter for one scanning pass (a whole video or one segment): it adds the frames and
    /// faces of the pass to the counters as they are processed.
    pub fn work_meter(&self) -> WorkMeter {
        WorkMeter {
            frames: self.inner.frames.clone(),
            faces: self.inner.faces.clone(),
            counted: vision::ScanTotals::default(),
        }
    }

    /// A job wrote its final state `video` (done, failed or cancelled) `elapsed` after its
    /// claim.
    pub fn job_ended(&self, video: &Video, elapsed: Duration) {
        self.inner
            .job_duration
            .get_or_create(&StatusLabel {
                status: video.status.as_str(),
            })
            .observe(elapsed.as_secs_f64());
        if video.status == VideoStatus::Done {
            if let Some(fps) = video.processing_fps {
                self.inner.last_job_fps.set(fps);
            }
        }
    }

    /// An HTTP request was answered.
    fn request(&self, method: &'static str, route: String, status: u16, elapsed: Duration) {
        self.inner
            .http_duration
            .get_or_create(&RouteLabels {
                method,
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        self.inner
            .http_requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status,
            })
            .inc();
    }

    /// An SSE stream opened; it counts as open until the guard is dropped.
    pub fn sse_stream(&self) -> OpenStream {
        self.inner.sse_streams.inc();
        OpenStream(self.inner.sse_streams.clone())
    }

    /// `bytes` more of an uploaded file were received.
    pub fn uploaded(&self, bytes: u64) {
        self.inner.upload_bytes.inc_by(bytes);
    }

    /// The scrape-time gauges of the database: videos by status (missing statuses are 0).
    fn set_videos(&self, counts: &[(String, i64)]) {
        for status in STATUSES {
            let n = counts
                .iter()
                .find(|(name, _)| name == status.as_str())
                .map_or(0, |(_, n)| *n);
            self.inner
                .videos
                .get_or_create(&StatusLabel {
                    status: status.as_str(),
                })
                .set(n);
            if status == VideoStatus::Queued {
                self.inner.queue_depth.set(n);
            }
        }
    }

    /// The scrape-time gauges of the job slots and the CPU limiter.
    fn set_slots(&self, cpu: &crate::cpu::CpuLimiter) {
        let (busy, slots) = cpu.job_slots();
        self.inner.jobs_running.set(busy as i64);
        self.inner.job_slots.set(slots as i64);
        self.inner.cpu_slots.set(cpu.slots() as i64);
        let short = cpu.short_work();
        self.inner.short_work_running.set(short.running as i64);
        self.inner.short_work_peak.set(short.peak as i64);
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry);
        text
    }
}

/// Counts the frames and faces of one scanning pass as they are processed: each call adds
/// what the pass's running totals grew by since the last one.
pub struct WorkMeter {
    frames: Counter,
    faces: Counter,
    counted: vision::ScanTotals,
}

impl WorkMeter {
    /// The pass's totals so far.
    pub fn observe(&mut self, totals: &vision::ScanTotals) {
        let frames = totals.frames_processed - self.counted.frames_processed;
        let faces = totals.faces_total - self.counted.faces_total;
        if frames > 0 {
            self.frames.inc_by(frames as u64);
            self.counted.frames_processed = totals.frames_processed;
        }
        if faces > 0 {
            self.faces.inc_by(faces as u64);
            self.counted.faces_total = totals.faces_total;
        }
    }
}

/// An open SSE stream; dropping it (the stream ended or the client left) counts it closed.
pub struct OpenStream(Gauge);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}

#[cfg(test)]
mod tests;
