//! What both the web service and a bare worker run on: models checked, database, storage,
//! events, services and the job system; and how they stop.

use super::{CLOSE_LIMIT, GRACE};
use crate::config::{ApiToken, Settings};
use crate::cpu::CpuLimiter;
use crate::db::Db;
use crate::events::{EventHub, VideoEvent};
use crate::jobs::{JobParts, JobSystem, Models};
use crate::metrics::{Exporter, Metrics, MetricsListener};
use crate::profiles::ProfileService;
use crate::search::{PhotoAnalyzer, SearchService};
use crate::storage::Storage;
use anyhow::Context;
use app::model::VideoStatus;
use std::collections::HashSet;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// What both the web service and a bare worker run on.
pub(super) struct Core {
    pub(super) db: Db,
    pub(super) storage: Storage,
    pub(super) events: EventHub,
    /// Ends the PostgreSQL event relay; cancelled last, after the final events went out.
    pub(super) relay: CancellationToken,
    pub(super) profiles: ProfileService,
    pub(super) search: SearchService,
    pub(super) jobs: JobSystem,
    /// Stops this process's webhook sender (when webhooks are configured).
    webhooks: Option<(CancellationToken, tokio::task::JoinHandle<()>)>,
    /// This process's metrics.
    pub(super) metrics: Metrics,
    /// The CPU limiter jobs, upload probes and search photos share.
    pub(super) cpu: CpuLimiter,
}

impl Core {
    /// Checks both models with a real run, connects and migrates the database, opens storage.
    pub(super) async fn build(settings: &Settings) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating the data dir {}", settings.data_dir.display()))?;
        let detector = settings.vision.detector_config()?;
        let people = settings.vision.people_settings()?;
        check_models(&detector, &people).await?;
        let db = Db::connect(&settings.database_url()).await?;
        let named = db.backfill_name_keys().await?;
        if named > 0 {
            tracing::info!(named, "name search keys filled for existing profiles");
        }
        let storage = Storage::open(&settings.data_dir, settings.storage_url.as_deref())
            .await
            .context("opening blob storage")?;
        let relay = CancellationToken::new();
        let events = match db.dialect() {
            crate::db::Dialect::Sqlite => EventHub::new(1024),
            crate::db::Dialect::Postgres => {
                EventHub::through_postgres(&settings.database_url(), 1024, relay.clone()).await?
            }
        };
        let model = crate::search::model_id(&people.embedder)?;
        tracing::info!(model, "embedding model");
        let webhooks = settings.webhooks.validated()?;
        let profiles = ProfileService::new(
            db.clone(),
            storage.clone(),
            people.match_threshold,
            model.clone(),
        )
        .with_webhook_urls(
            webhooks
                .as_ref()
                .map(|(urls, _)| urls.clone())
                .unwrap_or_default(),
        );
        let webhooks = webhooks.map(|(urls, secret)| {
            tracing::info!(
                urls = urls.len(),
                "webhooks: alerts are sent to {}",
                urls.join(", ")
            );
            let stop = CancellationToken::new();
            let sender = crate::webhooks::spawn_sender(db.clone(), secret, stop.clone());
            (stop, sender)
        });
        let cpu = settings.cpu_limiter();
        tracing::info!(
            cpu_slots = cpu.slots(),
            job_slots = cpu.job_slots().1,
            "CPU limiter: jobs, upload probes and search photos share these slots"
        );
        let photos = PhotoAnalyzer::new(detector.clone(), people.embedder.clone(), cpu.clone());
        let search = SearchService::new(db.clone(), photos, model, people.match_threshold);
        let metrics = Metrics::new();
        let jobs = JobSystem::new(
            JobParts {
                db: db.clone(),
                storage: storage.clone(),
                events: events.clone(),
                profiles: profiles.clone(),
                metrics: metrics.clone(),
                faults: settings.faults.clone(),
                cpu: cpu.clone(),
            },
            Models {
                detector,
                people,
                segment_secs: settings.segment_secs,
                max_attempts: settings.max_attempts,
            },
            std::time::Duration::from_secs(settings.lease_secs.max(1)),
        );
        Ok(Self {
            db,
            storage,
            events,
            relay,
            profiles,
            search,
            jobs,
            webhooks,
            metrics,
            cpu,
        })
    }

    /// Stops the jobs (at most [`GRACE`]), re-queues what they did not finish and waits
    /// until that change went out to every process (at most [`CLOSE_LIMIT`]).
    pub(super) async fn stop_jobs(&self) {
        let mut echoes = self.events.subscribe();
        let requeued = self.jobs.shutdown(GRACE).await;
        if requeued.is_empty() {
            return;
        }
        let mut pending: HashSet<String> = requeued.into_iter().map(|video| video.id).collect();
        // Each process hears its own events back (PostgreSQL LISTEN), so hearing them means they left.
        let heard = tokio::time::timeout(CLOSE_LIMIT, async {
            while !pending.is_empty() {
                match echoes.recv().await {
                    Ok(VideoEvent::Changed(video)) if video.status == VideoStatus::Queued => {
                        pending.remove(&video.id);
                    }
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                }
            }
        })
        .await;
        if heard.is_err() {
            tracing::warn!("the re-queue announcement was not confirmed in time; other workers see it at their next poll");
        }
    }

    /// Answers scrapes of this process's metrics.
    pub(super) fn exporter(&self) -> Exporter {
        Exporter::new(self.metrics.clone(), self.db.clone(), self.jobs.clone())
    }

    /// Serves `/metrics` on `bound` in a task of its own until `stop` is cancelled; with
    /// `token`, a scrape needs it.
    pub(super) fn serve_metrics(
        &self,
        bound: MetricsListener,
        token: Option<ApiToken>,
        stop: CancellationToken,
    ) {
        let exporter = self.exporter();
        tokio::spawn(async move {
            bound
                .serve(exporter, token.as_ref(), stop.cancelled_owned())
                .await;
        });
    }

    /// Binds `FACETALLY_METRICS_ADDR`, when set.
    pub(super) async fn bind_metrics(
        settings: &Settings,
    ) -> anyhow::Result<Option<MetricsListener>> {
        match settings.http.metrics_addr {
            Some(addr) => Ok(Some(MetricsListener::bind(addr).await?)),
            None => Ok(None),
        }
    }

    /// Ends the event relay and closes the database pool (at most [`CLOSE_LIMIT`]).
    pub(super) async fn close(&mut self) {
        if let Some((stop, sender)) = self.webhooks.take() {
            stop.cancel();
            if let Err(error) = sender.await {
                tracing::error!(%error, "the webhook sender ended badly");
            }
        }
        self.relay.cancel();
        if tokio::time::timeout(CLOSE_LIMIT, self.db.close())
            .await
            .is_err()
        {
            tracing::warn!("database connections still in use at exit");
        }
    }
}

/// Loads both models and runs each once, so a wrong or broken file stops start-up with a
/// clear message instead of failing every job.
async fn check_models(
    detector: &vision::DetectorConfig,
    people: &vision::PeopleSettings,
) -> anyhow::Result<()> {
    let (detector, people) = (detector.clone(), people.clone());
    tokio::task::spawn_blocking(move || -> Result<(), vision::VisionError> {
        vision::FaceDetector::new(&detector)?;
        vision::PeopleTracker::new(&people)?;
        Ok(())
    })
    .await??;
    Ok(())
}
