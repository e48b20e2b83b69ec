//! Keeping a claimed video's lease alive for the whole job, not only while frames flow: a
//! long download from S3 or storing many people must not let another worker take it over.

use super::JobSystem;
use crate::db::videos::ClaimedVideo;
use tokio_util::sync::{CancellationToken, DropGuard};

impl JobSystem {
    /// Renews the claim's lease every third of its duration until the guard is dropped;
    /// stops by itself once the claim is lost.
    pub(super) fn hold_lease(&self, held: &ClaimedVideo) -> DropGuard {
        let stop = CancellationToken::new();
        let (this, held, stopped) = (self.clone(), held.clone(), stop.clone());
        tokio::spawn(async move {
            let mut every = tokio::time::interval(held.duration / 3);
            every.tick().await; // the claim itself just set the lease
            loop {
                tokio::select! {
                    _ = every.tick() => match this.inner.db.renew_lease(&held).await {
                        Ok(true) => {}
                        Ok(false) => return, // finished, deleted or taken over
                        Err(error) => tracing::warn!(%error, video_id = %held.video_id, "renewing a lease failed; will retry"),
                    },
                    _ = stopped.cancelled() => return,
                }
            }
        });
        stop.drop_guard()
    }

    /// True while the claim still holds its video (its results may be stored).
    pub(super) async fn still_holds(&self, held: &ClaimedVideo) -> bool {
        self.inner.db.renew_lease(held).await.unwrap_or(false)
    }
}
