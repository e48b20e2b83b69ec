//! The loop that hands queued videos to free workers, oldest first.

use super::JobSystem;
use crate::events::VideoEvent;
use std::time::Duration;

/// How often the queue is checked even without a wake-up (jobs queued by other processes).
const POLL_EVERY: Duration = Duration::from_secs(2);

/// What a free job slot takes.
enum Work {
    /// A queued video: its job plans it and coordinates its segments.
    Video(Box<(app::model::Video, super::ClaimedVideo)>),
    /// A segment of a video another job coordinates.
    Segment(crate::db::segments::SegmentClaim),
}

impl JobSystem {
    /// The next segment of the earliest processing video, unless a video uploaded before it
    /// is waiting; otherwise the oldest queued video.
    async fn claim_work(&self) -> sqlx::Result<Option<Work>> {
        let (db, lease) = (&self.inner.db, &self.inner.lease);
        if let Some(claim) = db.claim_segment(lease, None).await? {
            return Ok(Some(Work::Segment(claim)));
        }
        Ok(db
            .claim_next_video(lease)
            .await?
            .map(|v| Work::Video(Box::new(v))))
    }

    /// Returns videos of workers that stopped renewing their lease to the queue (or fails
    /// those that stopped too often), and announces them.
    async fn requeue_expired(&self) {
        match self.inner.db.requeue_expired(self.inner.max_attempts).await {
            Ok(changed) if changed.is_empty() => {}
            Ok(changed) => self.announce_requeued(changed, "its worker stopped renewing its lease"),
            Err(error) => tracing::error!(%error, "re-queueing expired leases failed"),
        }
    }

    /// Logs and announces videos put back in the queue, or given up, after a stop.
    pub(super) fn announce_requeued(&self, changed: Vec<app::model::Video>, why: &str) {
        for video in changed {
            if video.status == app::model::VideoStatus::Failed {
                tracing::error!(video_id = %video.id, filename = %video.filename, why, "gave up on a video that stopped too often");
            } else {
                tracing::warn!(video_id = %video.id, filename = %video.filename, why, "re-queued a video");
            }
            self.inner.events.publish(VideoEvent::Changed(video));
        }
    }

    /// Runs until shutdown: wait for a job permit of the CPU limiter, claim a video, spawn
    /// its job (which holds the permit to its end).
    pub(super) async fn dispatch(self) {
        let inner = &self.inner;
        loop {
            let permit = tokio::select! {
                permit = inner.cpu.job_permit() => match permit {
                    Some(permit) => permit,
                    None => return, // limiter closed
                },
                _ = inner.shutdown.cancelled() => return,
            };
            if inner.shutdown.is_cancelled() {
                return; // a permit freed by a job stopping at shutdown
            }
            self.requeue_expired().await;
            match self.claim_work().await {
                Ok(Some(Work::Segment(claim))) => {
                    let token = inner.shutdown.child_token();
                    let key = format!("{}#{}", claim.video_id, claim.idx);
                    self.registry().insert(key.clone(), token.clone());
                    let this = self.clone();
                    inner.tracker.spawn(async move {
                        this.run_segment_job(claim, token).await;
                        this.registry().remove(&key);
                        drop(permit);
                    });
                }
                Ok(Some(Work::Video(claimed))) => {
                    let (video, held) = *claimed;
                    inner.events.publish(VideoEvent::Changed(video.clone()));
                    let token = inner.shutdown.child_token();
                    self.registry().insert(video.id.clone(), token.clone());
                    let this = self.clone();
                    inner.tracker.spawn(async move {
                        let id = video.id.clone();
                        this.run_job(video, held, token).await;
                        this.registry().remove(&id);
                        drop(permit);
                    });
                }
                Ok(None) => {
                    drop(permit);
                    tokio::select! {
                        _ = inner.wake.notified() => {}
                        _ = tokio::time::sleep(POLL_EVERY) => {}
                        _ = inner.shutdown.cancelled() => return,
                    }
                }
                Err(error) => {
                    drop(permit);
                    tracing::error!(%error, "claiming the next video or segment failed");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }
}
