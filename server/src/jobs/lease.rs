//! How a process holds the videos it processes: a lease per process, a claim per run; and
//! keeping a claimed video's lease alive for the whole job, not only while frames flow: a
//! long download from S3 or storing many people must not let another worker take it over.

use super::JobSystem;
use std::time::Duration;
use tokio_util::sync::{CancellationToken, DropGuard};

/// A worker's hold on the videos it processes.
#[derive(Debug, Clone)]
pub struct Lease {
    /// Unique per process.
    pub worker_id: String,
    /// How long a hold lasts without being renewed.
    pub duration: Duration,
}

/// One claim of one video: only the job holding `claim` may write its progress and result,
/// so a job whose lease lapsed cannot write over the run that took the video over, even in
/// the same process.
#[derive(Debug, Clone)]
pub struct ClaimedVideo {
    pub video_id: String,
    /// The claiming process.
    pub worker_id: String,
    /// Unique per claim.
    pub claim: String,
    /// How long the hold lasts without being renewed.
    pub duration: Duration,
    /// When this process made the claim (a job's duration is measured from it).
    pub claimed_at: std::time::Instant,
}

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
