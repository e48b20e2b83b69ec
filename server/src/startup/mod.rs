//! Builds the application (database, storage, jobs, router) and serves it until stopped.

mod core;

use self::core::Core;
use crate::config::{ApiToken, Settings};
use crate::metrics::MetricsListener;
use crate::state::AppState;
use crate::videos::VideoService;
use anyhow::Context;
use app::api::ssr::SharedBackend;
use axum::routing::any;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::trace::TraceLayer;

/// How long in-flight requests and running jobs get to end after a stop signal. With the
/// steps after it (re-queueing, last events, closing the database: at most 2 × `CLOSE_LIMIT`)
/// and the runtime's own stop in `main.rs` (1 s), a stop takes at most 8 s.
pub const GRACE: Duration = Duration::from_secs(5);
/// Longest wait for the last events to go out, and for the database pool to close.
const CLOSE_LIMIT: Duration = Duration::from_secs(1);

/// A built, bound, not yet running facetally service.
pub struct Application {
    port: u16,
    listener: TcpListener,
    router: Router,
    core: Core,
    shutdown: CancellationToken,
    /// `FACETALLY_METRICS_ADDR`, bound, with the token a scrape there needs.
    metrics: Option<(MetricsListener, Option<ApiToken>)>,
    /// `FACETALLY_MAX_CONNECTIONS`.
    max_connections: usize,
}

impl Application {
    /// Checks the models, connects and migrates the database, opens storage, and binds the
    /// listener (port 0 picks a free one).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let max_connections = settings.http.max_connections;
        let shutdown = CancellationToken::new();
        let core = Core::build(&settings).await?;
        let listener = TcpListener::bind(settings.addr)
            .await
            .with_context(|| format!("binding {}", settings.addr))?;
        let port = listener.local_addr()?.port();
        let metrics = Core::bind_metrics(&settings)
            .await?
            .map(|bound| (bound, settings.http.api_token.clone()));
        let state = AppState {
            leptos_options: leptos_options(&settings)?,
            videos: VideoService::new(
                core.db.clone(),
                core.storage.clone(),
                core.jobs.clone(),
                core.events.clone(),
                core.cpu.clone(),
            ),
            profiles: core.profiles.clone(),
            people: crate::people::PeopleService::new(core.db.clone(), core.storage.clone()),
            search: core.search.clone(),
            audit: crate::audit::AuditService::new(core.db.clone()),
            alerts: crate::alerts::AlertService::new(core.db.clone()),
            export: crate::export::ExportService::new(core.db.clone()),
            timeline: crate::timeline::TimelineService::new(core.db.clone(), core.storage.clone()),
            events: core.events.clone(),
            metrics: core.metrics.clone(),
            exporter: core.exporter(),
            settings: Arc::new(settings),
            shutdown: shutdown.clone(),
        };
        let router = router(state);
        Ok(Self {
            port,
            listener,
            router,
            core,
            shutdown,
            metrics,
            max_connections,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Cancelling this token stops the service gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Starts the jobs and serves until Ctrl-C, SIGTERM or the shutdown token; then stops
    /// accepting, ends SSE streams, lets requests and jobs end for at most [`GRACE`]
    /// (slow uploads and open streams are cut after it), re-queues unfinished videos and
    /// closes the database.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let Self {
            listener,
            router,
            mut core,
            shutdown,
            metrics,
            max_connections,
            ..
        } = self;
        core.jobs.start().await?;
        if let Some((bound, token)) = metrics {
            core.serve_metrics(bound, token, shutdown.clone());
        }
        let stop = shutdown.clone();
        let serving = crate::serve::serve(
            listener,
            router,
            async move { stop.cancelled().await },
            (max_connections, GRACE),
        );
        let mut serving = std::pin::pin!(serving);
        let still_serving = tokio::select! {
            () = &mut serving => false,
            () = stopped(&shutdown) => true,
        };
        let started = Instant::now();
        shutdown.cancel();
        let drain = async {
            if still_serving {
                serving.await;
            }
        };
        tokio::join!(drain, core.stop_jobs());
        core.close().await;
        tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "stopped");
        Ok(())
    }
}

/// `facetally worker`: takes jobs from the shared database until Ctrl-C or SIGTERM; no HTTP
/// but `/metrics` on `FACETALLY_METRICS_ADDR`, when set.
/// Stops like the web service: jobs end at a frame, unfinished videos are re-queued.
pub async fn run_worker(settings: Settings) -> anyhow::Result<()> {
    let mut core = Core::build(&settings).await?;
    if core.db.dialect() == crate::db::Dialect::Sqlite {
        tracing::warn!("a separate worker process needs the shared PostgreSQL database; with SQLite use `serve`");
    }
    let metrics = Core::bind_metrics(&settings).await?;
    core.jobs.start().await?;
    let stop_metrics = CancellationToken::new();
    if let Some(bound) = metrics {
        let token = settings.http.api_token.clone();
        core.serve_metrics(bound, token, stop_metrics.clone());
    }
    shutdown_signal().await;
    let started = Instant::now();
    core.stop_jobs().await;
    stop_metrics.cancel();
    core.close().await;
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "stopped");
    Ok(())
}

/// Resolves at Ctrl-C or SIGTERM, or when `token` is cancelled.
async fn stopped(token: &CancellationToken) {
    tokio::select! {
        _ = shutdown_signal() => tracing::info!("stop signal received; shutting down"),
        _ = token.cancelled() => {}
    }
}

/// The whole HTTP surface: REST + docs, the UI's server functions, and the UI pages, behind
/// the token check, the security headers and CORS (see [`crate::security`]).
fn router(state: AppState) -> Router {
    let backend: SharedBackend = Arc::new(state.clone());
    let routes = generate_route_list(app::App);
    let options = state.leptos_options.clone();
    let token_required = state.settings.http.api_token.is_some();
    let context = move || {
        provide_context(backend.clone());
        crate::security::provide_leptos_context(token_required);
    };
    let server_fns = {
        let context = context.clone();
        move |request| leptos_axum::handle_server_fns_with_context(context.clone(), request)
    };
    let app = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            app::shell(options.clone())
        })
        .route("/rpc/{*fn_name}", any(server_fns))
        .merge(crate::http::router(std::time::Duration::from_secs(
            state.settings.http.body_timeout_secs.max(1),
        )))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .with_state(state.clone());
    crate::security::apply(app, &state.settings.http, &state.leptos_options)
        .layer(axum::middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::metrics::track_requests,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Leptos settings from `LEPTOS_*` variables, with facetally's defaults.
fn leptos_options(settings: &Settings) -> anyhow::Result<LeptosOptions> {
    let mut options = leptos::config::get_configuration(None)
        .context("reading LEPTOS_* settings")?
        .leptos_options;
    if options.output_name.is_empty() {
        options.output_name = "facetally".into();
    }
    options.site_addr = settings.addr;
    Ok(options)
}

/// Resolves at Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
