//! Shared state handed to every handler.

use crate::config::Settings;
use crate::events::EventHub;
use crate::people::PeopleService;
use crate::profiles::ProfileService;
use crate::search::SearchService;
use crate::videos::VideoService;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Everything handlers need. Cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Leptos site settings (output name, site root).
    pub leptos_options: LeptosOptions,
    /// Video operations.
    pub videos: VideoService,
    /// Profile operations.
    pub profiles: ProfileService,
    /// People found in videos.
    pub people: PeopleService,
    /// The archive search.
    pub search: SearchService,
    /// The audit log of manual changes.
    pub audit: crate::audit::AuditService,
    /// Alerts of the watch list and their webhook deliveries.
    pub alerts: crate::alerts::AlertService,
    /// What a video's page draws: faces per second, people's lanes, face boxes.
    pub timeline: crate::timeline::TimelineService,
    /// CSV and JSON downloads of whole tables.
    pub export: crate::export::ExportService,
    /// Live changes for SSE.
    pub events: EventHub,
    /// The service's configuration.
    pub settings: Arc<Settings>,
    /// The process's metrics (the hooks of the HTTP surface write to them).
    pub metrics: crate::metrics::Metrics,
    /// Answers `GET /metrics`.
    pub exporter: crate::metrics::Exporter,
    /// Cancelled when the server shuts down (ends SSE streams).
    pub shutdown: CancellationToken,
}
