//! Keeping a claimed video's lease alive for the whole job, not only while frames flow: a
//! long download from S3 or storing many people must not let another worker take it over.

use super::JobSystem;
use tokio_util::sync::{CancellationToken, DropGuard};

impl JobSystem {
    /// Renews the lease on `id` every third of its duration until the guard is dropped;
    /// stops by itself once the lease is lost.
    pub(super) fn hold_lease(&self, id: &str) -> DropGuard {
        let stop = CancellationToken::new();
        let (this, id, stopped) = (self.clone(), id.to_owned(), stop.clone());
        tokio::spawn(async move {
            let lease = &this.inner.lease;
            let mut every = tokio::time::interval(lease.duration / 3);
            every.tick().await; // the claim itself just set the lease
            loop {
                tokio::select! {
                    _ = every.tick() => match this.inner.db.renew_lease(&id, lease).await {
                        Ok(true) => {}
                        Ok(false) => return, // finished, deleted or taken over
                        Err(error) => tracing::warn!(%error, video_id = %id, "renewing a lease failed; will retry"),
                    },
                    _ = stopped.cancelled() => return,
                }
            }
        });
        stop.drop_guard()
    }

    /// True while this worker still holds `id` (its results may be stored).
    pub(super) async fn still_holds(&self, id: &str) -> bool {
        self.inner
            .db
            .renew_lease(id, &self.inner.lease)
            .await
            .unwrap_or(false)
    }
}
