//! `FACETALLY_METRICS_ADDR`: a small listener serving `GET /metrics` only (behind the API
//! token when one is configured), for worker processes, which serve no other HTTP, and for
//! `serve` when the metrics should (also) be on an address of their own.

use super::Exporter;
use crate::config::ApiToken;
use anyhow::Context;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;

/// How long a scrape in flight may take to end once the process stops.
const DRAIN: Duration = Duration::from_secs(1);
/// Connections the metrics listener serves at once.
const SCRAPERS: usize = 16;

/// The bound, not yet serving, metrics listener.
pub struct MetricsListener {
    listener: TcpListener,
}

impl MetricsListener {
    /// Binds `addr` (at start-up, so an address in use stops the process with a clear error).
    pub async fn bind(addr: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding FACETALLY_METRICS_ADDR {addr}"))?;
        Ok(Self { listener })
    }

    /// The address actually bound (port 0 picks a free one).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves `/metrics` from `exporter` until `stop` completes; with `token`, a scrape needs
    /// `Authorization: Bearer <token>`.
    pub async fn serve(
        self,
        exporter: Exporter,
        token: Option<&ApiToken>,
        stop: impl Future<Output = ()>,
    ) {
        if let Ok(addr) = self.local_addr() {
            tracing::info!(%addr, "metrics at /metrics");
        }
        let router = Router::new()
            .route("/metrics", get(scrape))
            .with_state(exporter);
        let router = crate::security::require_token(router, token);
        // A scrape is one short request; a few connections are plenty.
        crate::serve::serve(self.listener, router, stop, (SCRAPERS, DRAIN)).await;
    }
}

async fn scrape(State(exporter): State<Exporter>) -> Response {
    exporter.response().await
}
