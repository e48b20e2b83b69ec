//! Video jobs: a dispatcher claims queued videos from the database while a job permit of
//! the process's CPU limiter is free (one of the worker count's job slots), and runs each on
//! the blocking pool holding that permit.

mod dispatcher;
mod end;
mod faults;
mod fetch;
mod lease;
mod progress;
mod runner;
mod segments;

pub use faults::{Fault, Faults};

use crate::db::Db;
use crate::events::EventHub;
use crate::profiles::ProfileService;
use crate::storage::Storage;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Handle to the job machinery. Cheap to clone.
#[derive(Clone)]
pub struct JobSystem {
    inner: Arc<Inner>,
}

/// The services a job writes to.
pub struct JobParts {
    pub db: Db,
    pub storage: Storage,
    pub events: EventHub,
    pub profiles: ProfileService,
    /// Frames, faces and job durations are counted here.
    pub metrics: crate::metrics::Metrics,
    /// Faults tests inject (none otherwise).
    pub faults: Faults,
    /// The process's CPU limiter; its job slots are the worker count.
    pub cpu: crate::cpu::CpuLimiter,
}

pub use lease::{ClaimedVideo, Lease};
pub use progress::{JobEnd, ProgressUpdate};

/// The model settings every job loads.
pub struct Models {
    pub detector: vision::DetectorConfig,
    pub people: vision::PeopleSettings,
    /// A video longer than this many seconds is cut into segments that every free job slot
    /// can take (0: never cut).
    pub segment_secs: f64,
    /// Claims of one video (or segment) after which a run that stopped without finishing
    /// (a crash, an out-of-memory kill) is not retried: the video fails.
    pub max_attempts: u32,
}

struct Inner {
    db: Db,
    storage: Storage,
    events: EventHub,
    profiles: ProfileService,
    metrics: crate::metrics::Metrics,
    faults: Faults,
    models: Models,
    lease: Lease,
    /// Claims of one video after which a stopped run is not retried.
    max_attempts: i64,
    cpu: crate::cpu::CpuLimiter,
    wake: Notify,
    running: Mutex<HashMap<String, CancellationToken>>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
}

impl JobSystem {
    /// Creates the job system; nothing runs until [`JobSystem::start`].
    pub fn new(parts: JobParts, models: Models, lease_duration: std::time::Duration) -> Self {
        let JobParts {
            db,
            storage,
            events,
            profiles,
            metrics,
            faults,
            cpu,
        } = parts;
        let max_attempts = i64::from(models.max_attempts.max(1));
        let inner = Inner {
            db,
            storage,
            events,
            profiles,
            metrics,
            faults,
            models,
            lease: Lease {
                worker_id: worker_id(),
                duration: lease_duration,
            },
            max_attempts,
            cpu,
            wake: Notify::new(),
            running: Mutex::new(HashMap::new()),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// Starts the dispatcher (unless this process takes no jobs). With the embedded
    /// database no other process can hold a video, so those left `processing` by a crash
    /// are re-queued at once; with a shared one, when their lease expires.
    pub async fn start(&self) -> anyhow::Result<()> {
        if self.inner.db.dialect() == crate::db::Dialect::Sqlite {
            let changed = self
                .inner
                .db
                .requeue_interrupted(self.inner.max_attempts)
                .await?;
            if !changed.is_empty() {
                tracing::warn!(
                    requeued = changed.len(),
                    "re-queued videos left processing by an earlier run"
                );
                self.announce_requeued(changed, "left processing by an earlier run");
            }
        }
        let (_, workers) = self.slots();
        if workers == 0 {
            tracing::info!("taking no jobs (workers = 0)");
            return Ok(());
        }
        tracing::info!(worker_id = %self.inner.lease.worker_id, workers, "taking jobs");
        let this = self.clone();
        self.inner
            .tracker
            .spawn(async move { this.dispatch().await });
        let this = self.clone();
        self.inner
            .tracker
            .spawn(async move { this.wake_on_uploads().await });
        Ok(())
    }

    /// Wakes the dispatcher when any process announces a queued video or a video in segments
    /// (with PostgreSQL the announcements of other processes arrive here too), instead of at
    /// the next poll.
    async fn wake_on_uploads(self) {
        let mut events = self.inner.events.subscribe();
        loop {
            tokio::select! {
                event = events.recv() => match event {
                    Ok(crate::events::VideoEvent::Changed(video)) if has_work(&video) => self.wake(),
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                _ = self.inner.shutdown.cancelled() => return,
            }
        }
    }

    /// Job slots busy (with a video or a segment) and job slots in all.
    pub fn slots(&self) -> (usize, usize) {
        self.inner.cpu.job_slots()
    }

    /// The CPU limiter the jobs take their permits from (shared with upload probes and
    /// search photos).
    pub fn cpu(&self) -> &crate::cpu::CpuLimiter {
        &self.inner.cpu
    }

    /// Tells the dispatcher that new videos are queued.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Signals the running job of `id` and its segments in this process, if any, to stop at
    /// their next frame (other processes' runners see the video's status at their next
    /// progress store).
    pub fn stop_running(&self, id: &str) {
        let segment_prefix = format!("{id}#");
        for (key, token) in self.registry().iter() {
            if key == id || key.starts_with(&segment_prefix) {
                token.cancel();
            }
        }
    }

    /// Stops taking jobs, stops running ones at their next frame, waits for them at most
    /// `grace`, then puts every video this process still holds back in the queue (counts
    /// cleared) and announces it, so another worker can take it at once. Returns those videos.
    pub async fn shutdown(&self, grace: std::time::Duration) -> Vec<app::model::Video> {
        self.inner.shutdown.cancel();
        self.inner.tracker.close();
        if tokio::time::timeout(grace, self.inner.tracker.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                grace_ms = grace.as_millis() as u64,
                "jobs did not stop in time; re-queueing their videos anyway"
            );
        }
        let requeued = match self
            .inner
            .db
            .requeue_held(&self.inner.lease.worker_id)
            .await
        {
            Ok(videos) => videos,
            Err(error) => {
                tracing::error!(%error, "re-queueing the videos of stopped jobs failed; they are taken over when their lease expires");
                return Vec::new();
            }
        };
        for video in &requeued {
            tracing::info!(video_id = %video.id, filename = %video.filename, "re-queued at shutdown");
            self.inner
                .events
                .publish(crate::events::VideoEvent::Changed(video.clone()));
        }
        requeued
    }

    fn registry(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.inner.running.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether a video's announcement may mean work for a free slot: it is queued, or it is
/// processed in segments that any slot can take.
fn has_work(video: &app::model::Video) -> bool {
    use app::model::VideoStatus;
    video.status == VideoStatus::Queued
        || (video.status == VideoStatus::Processing && video.segments.is_some_and(|n| n > 1))
}

/// A worker id unique to this process: host, process id and a random suffix.
fn worker_id() -> String {
    let host = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    let host = host.trim();
    let suffix = uuid::Uuid::now_v7().simple().to_string();
    format!(
        "{}-{}-{}",
        if host.is_empty() { "host" } else { host },
        std::process::id(),
        &suffix[suffix.len() - 6..]
    )
}
