//! Running one claimed segment, in whichever process claimed it: scan its part of the video
//! on the blocking pool, store its counts a few times a second (which renews its lease and
//! tells it when to stop), and store its outcome and people at the end.

use super::SegmentResult;
use crate::db::segments::{SegmentClaim, SegmentCounts};
use crate::jobs::runner::REPORT_EVERY;
use crate::jobs::JobSystem;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tokio::runtime::Handle;
use tokio_util::sync::{CancellationToken, DropGuard};
use vision::{FaceActivity, SegmentSpec, VisionError};

/// How a segment's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::jobs) enum LaneEnd {
    /// Its result is stored.
    Done,
    /// Its error is stored (the coordinator scans the video in one pass).
    Failed,
    /// Stopped before its end (pause, cancel, shutdown, or the claim was lost).
    Stopped,
}

impl JobSystem {
    /// A segment claimed by the dispatcher: fetches the video, runs the segment, stores it.
    #[tracing::instrument(skip_all, fields(video_id = %claim.video_id, segment = claim.idx))]
    pub(in crate::jobs) async fn run_segment_job(
        &self,
        claim: SegmentClaim,
        token: CancellationToken,
    ) {
        let renewing = self.hold_segment(&claim);
        let key = match self.inner.db.video_storage_key(&claim.video_id).await {
            Ok(Some(key)) => key,
            Ok(None) => return, // deleted meanwhile
            Err(error) => {
                tracing::error!(%error, "reading the video's storage key failed");
                self.give_back_segment(&claim).await;
                return;
            }
        };
        let local = match self.inner.storage.local_copy(&key).await {
            Ok(local) => local,
            Err(error) => {
                tracing::error!(%error, key, "fetching the video for a segment failed");
                self.give_back_segment(&claim).await;
                return;
            }
        };
        drop(renewing);
        let end = self
            .run_segment(&claim, local.path().to_path_buf(), &token)
            .await;
        tracing::info!(?end, "segment ended");
    }

    /// Runs a claimed segment of the local file `path` to its end and stores the result.
    pub(in crate::jobs) async fn run_segment(
        &self,
        claim: &SegmentClaim,
        path: PathBuf,
        token: &CancellationToken,
    ) -> LaneEnd {
        let _renewing = self.hold_segment(claim);
        let (this, owned, blocking_token, handle) = (
            self.clone(),
            claim.clone(),
            token.clone(),
            Handle::current(),
        );
        let scanned = tokio::task::spawn_blocking(move || {
            this.scan_claimed(&handle, &owned, &path, &blocking_token)
        })
        .await;
        let stored = match scanned {
            Ok(Ok(Some(((outcome, _), _)))) if outcome.run_on_capped => {
                // Every later segment's work would be done again here: the coordinator
                // scans the video in one pass at once instead.
                let message = "no quiet frame to hand people over within the run-on cap";
                return self.fail(claim, message).await;
            }
            Ok(Ok(Some(((outcome, part), activity)))) => {
                let counts = SegmentCounts {
                    progress: 100.0,
                    frames_processed: outcome.totals.frames_processed,
                    faces_total: outcome.totals.faces_total,
                    max_faces_in_frame: outcome.totals.max_faces_in_frame,
                    frames_with_faces: outcome.totals.frames_with_faces,
                    people_so_far: part.track_count() as i64,
                };
                let json = match serde_json::to_string(&(outcome, part)) {
                    Ok(json) => json,
                    Err(error) => {
                        return self
                            .fail(claim, &format!("encoding the result: {error}"))
                            .await
                    }
                };
                self.inner
                    .db
                    .finish_segment(claim, &counts, Some(&activity), Ok(&json))
                    .await
                    .map(|stored| {
                        if stored {
                            LaneEnd::Done
                        } else {
                            LaneEnd::Stopped
                        }
                    })
            }
            Ok(Ok(None)) => {
                self.give_back_segment(claim).await;
                return LaneEnd::Stopped;
            }
            Ok(Err(error)) => return self.fail(claim, &error.to_string()).await,
            Err(panic) => {
                tracing::error!(?panic, "a segment panicked");
                return self.fail(claim, "internal error while scanning").await;
            }
        };
        stored.unwrap_or_else(|error| {
            tracing::error!(%error, "storing a segment's result failed; it runs again after its lease");
            LaneEnd::Stopped
        })
    }

    /// The CPU-bound part: `None` when stopped before the segment's end.
    fn scan_claimed(
        &self,
        handle: &Handle,
        claim: &SegmentClaim,
        path: &Path,
        token: &CancellationToken,
    ) -> Result<Option<(SegmentResult, FaceActivity)>, VisionError> {
        vision::use_single_thread();
        let models = &self.inner.models;
        let mut detector = vision::FaceDetector::new(&models.detector)?;
        let mut tracker = vision::PeopleTracker::new(&models.people)?;
        let spec = SegmentSpec {
            index: claim.idx as usize,
            start_s: claim.start_s,
            end_s: claim.end_s,
        };
        let mut last_report = Instant::now();
        let mut meter = self.inner.metrics.work_meter();
        let mut activity = FaceActivity::default();
        let outcome = vision::scan_segment(
            path,
            &spec,
            &mut detector,
            Some(&mut tracker),
            |p, n| {
                meter.observe(&p.totals);
                activity.observe(p);
                if token.is_cancelled() {
                    return ControlFlow::Break(());
                }
                if last_report.elapsed() >= REPORT_EVERY {
                    last_report = Instant::now();
                    let counts = SegmentCounts {
                        progress: p.progress,
                        frames_processed: p.totals.frames_processed,
                        faces_total: p.totals.faces_total,
                        max_faces_in_frame: p.totals.max_faces_in_frame,
                        frames_with_faces: p.totals.frames_with_faces,
                        people_so_far: n as i64,
                    };
                    let lease = &self.inner.lease;
                    let stored = self
                        .inner
                        .db
                        .segment_progress(claim, lease, &counts, &activity);
                    match handle.block_on(stored) {
                        Ok(true) => {}
                        // Paused, cancelled, deleted, or the claim lapsed and went to another runner.
                        Ok(false) => return ControlFlow::Break(()),
                        Err(error) => {
                            tracing::warn!(%error, "storing a segment's progress failed; will retry")
                        }
                    }
                }
                ControlFlow::Continue(())
            },
        )?;
        if !outcome.completed {
            return Ok(None);
        }
        let part = tracker.finish_part()?;
        Ok(Some(((outcome, part), activity)))
    }

    async fn fail(&self, claim: &SegmentClaim, message: &str) -> LaneEnd {
        tracing::warn!(message, "a segment failed");
        let stored = self
            .inner
            .db
            .finish_segment(claim, &SegmentCounts::default(), None, Err(message))
            .await;
        if let Err(error) = stored {
            tracing::error!(%error, "storing a segment's failure failed");
        }
        LaneEnd::Failed
    }

    /// Puts a segment this process will not finish back in the queue at once.
    async fn give_back_segment(&self, claim: &SegmentClaim) {
        if let Err(error) = self.inner.db.release_segment(claim).await {
            tracing::warn!(%error, "giving a segment back failed; it is taken again after its lease");
        }
    }

    /// Renews a claimed segment's lease until the guard is dropped (while its video is
    /// fetched; once frames flow, every progress store renews it).
    fn hold_segment(&self, claim: &SegmentClaim) -> DropGuard {
        let stop = CancellationToken::new();
        let (this, claim, stopped) = (self.clone(), claim.clone(), stop.clone());
        tokio::spawn(async move {
            let lease = &this.inner.lease;
            let mut every = tokio::time::interval(lease.duration / 3);
            every.tick().await;
            loop {
                tokio::select! {
                    _ = every.tick() => match this.inner.db.renew_segment(&claim, lease).await {
                        Ok(true) => {}
                        Ok(false) => return,
                        Err(error) => tracing::warn!(%error, "renewing a segment's lease failed; will retry"),
                    },
                    _ = stopped.cancelled() => return,
                }
            }
        });
        stop.drop_guard()
    }
}
