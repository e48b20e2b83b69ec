//! Video jobs: a dispatcher claims queued videos from the database while a permit of a
//! semaphore sized to the worker count is free, and runs each on the blocking pool.

mod dispatcher;
mod runner;

use crate::db::Db;
use crate::events::EventHub;
use crate::profiles::ProfileService;
use crate::storage::Storage;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, Semaphore};
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
}

/// The model settings every job loads.
pub struct Models {
    pub detector: vision::DetectorConfig,
    pub people: vision::PeopleSettings,
}

struct Inner {
    db: Db,
    storage: Storage,
    events: EventHub,
    profiles: ProfileService,
    models: Models,
    permits: Arc<Semaphore>,
    wake: Notify,
    running: Mutex<HashMap<String, CancellationToken>>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
}

impl JobSystem {
    /// Creates the job system; nothing runs until [`JobSystem::start`].
    pub fn new(parts: JobParts, models: Models, workers: usize) -> Self {
        let JobParts { db, storage, events, profiles } = parts;
        let inner = Inner {
            db,
            storage,
            events,
            profiles,
            models,
            permits: Arc::new(Semaphore::new(workers)),
            wake: Notify::new(),
            running: Mutex::new(HashMap::new()),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
        };
        Self { inner: Arc::new(inner) }
    }

    /// Re-queues jobs interrupted by a crash, then starts the dispatcher.
    pub async fn start(&self) -> anyhow::Result<()> {
        let requeued = self.inner.db.requeue_interrupted().await?;
        if requeued > 0 {
            tracing::warn!(requeued, "re-queued videos left processing by an earlier run");
        }
        let this = self.clone();
        self.inner.tracker.spawn(async move { this.dispatch().await });
        Ok(())
    }

    /// Tells the dispatcher that new videos are queued.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Signals the running job of `id`, if any, to stop at its next frame.
    pub fn stop_running(&self, id: &str) {
        if let Some(token) = self.registry().get(id) {
            token.cancel();
        }
    }

    /// Number of jobs running right now.
    pub fn running_count(&self) -> usize {
        self.registry().len()
    }

    /// Stops taking jobs, stops running ones at their next frame (they stay `processing`
    /// and are re-queued at the next start) and waits for them.
    pub async fn shutdown(&self) {
        self.inner.shutdown.cancel();
        self.inner.tracker.close();
        self.inner.tracker.wait().await;
    }

    fn registry(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        // A panic while holding this lock cannot leave the map inconsistent.
        self.inner.running.lock().unwrap_or_else(|e| e.into_inner())
    }
}
