//! What a scrape gets: first the gauges computed at scrape time (videos by status and the
//! queue from the database, this process's busy job slots), then every metric as text.

use super::Metrics;
use crate::db::Db;
use crate::jobs::JobSystem;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::prometheus_text::CONTENT_TYPE;

/// Answers scrapes of one process. Cheap to clone.
#[derive(Clone)]
pub struct Exporter {
    metrics: Metrics,
    db: Db,
    jobs: JobSystem,
}

impl Exporter {
    /// An exporter of `metrics` whose scrape-time gauges come from `db` and `jobs`.
    pub fn new(metrics: Metrics, db: Db, jobs: JobSystem) -> Self {
        Self { metrics, db, jobs }
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4). When the
    /// database cannot be read, the gauges read from it keep their last values (logged).
    pub async fn render(&self) -> String {
        match self.db.count_videos_by_status().await {
            Ok(counts) => self.metrics.set_videos(&counts),
            Err(error) => {
                tracing::warn!(%error, "reading the videos by status for /metrics failed; their gauges keep the last values");
            }
        }
        self.metrics.set_slots(self.jobs.cpu());
        self.metrics.encode()
    }

    /// The `200` answer of `GET /metrics`.
    pub async fn response(&self) -> Response {
        ([(header::CONTENT_TYPE, CONTENT_TYPE)], self.render().await).into_response()
    }
}
