//! One job: decode every frame of a video, detect faces and follow people on the blocking
//! pool, storing progress a few times a second and the final counts and people at the end.

use super::end::{empty_progress, failed, job_end, progress_update, Found, ScanEnd};
use super::fetch::Fetched;
use super::JobSystem;
use super::{ClaimedVideo, JobEnd, ProgressUpdate};
use crate::events::VideoEvent;
use crate::timeline::{self, ActivityUpdate};
use app::model::{Video, VideoStatus};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;
use vision::{FaceActivity, ScanTotals};

/// How often a running job stores its counts (listings are at most this stale).
pub(super) const REPORT_EVERY: Duration = Duration::from_millis(250);

impl JobSystem {
    /// Runs one claimed video to its end and writes the result. Every way out ends in a
    /// definite state: done, failed (with the counts last stored), cancelled, paused, or
    /// given back to the queue.
    #[tracing::instrument(skip_all, fields(video_id = %video.id))]
    pub(super) async fn run_job(&self, video: Video, held: ClaimedVideo, token: CancellationToken) {
        let _lease = self.hold_lease(&held);
        // A cancel (or pause, or shutdown) stops a download from S3 at once: the partial
        // file is removed with the dropped future.
        let local = tokio::select! {
            local = self.video_path(&held) => local,
            _ = token.cancelled() => Fetched::Stopped,
        };
        let local = match local {
            Fetched::Ready(local) => local,
            Fetched::Gone => return,
            Fetched::Stopped => {
                let end = stopped_before_scanning(self.counts_in_db(&video.id).await);
                return self.end_job(&video, &held, end, None).await;
            }
        };
        let path = local.path().to_path_buf();
        let joined = match self.scan_segmented(&video, &held, &path, &token).await {
            Some(end) => Ok(end),
            None => {
                let this = self.clone();
                let owned = held.clone();
                let blocking_token = token.clone();
                let handle = Handle::current();
                let duration = video.duration_s;
                tokio::task::spawn_blocking(move || {
                    this.scan_blocking(&handle, &owned, (path, duration), &blocking_token)
                })
                .await
            }
        };
        drop(local); // a downloaded copy is removed now
        let (end, people) = match joined {
            Ok(scan) => job_end(scan),
            Err(panic) => {
                tracing::error!(?panic, "job panicked");
                // The counts stored last are kept, not replaced by zeros.
                let kept = self.counts_in_db(&video.id).await;
                let message = "internal error while processing the video (logged)";
                (failed(message, kept), None)
            }
        };
        self.end_job(&video, &held, end, people).await;
    }

    /// Stores the people found (unless the video was cancelled meanwhile) and the final
    /// counts; a job stopped by a pause or a shutdown writes nothing.
    async fn end_job(
        &self,
        video: &Video,
        held: &ClaimedVideo,
        mut end: JobEnd,
        found: Option<Found>,
    ) {
        self.inner.faults.wait_before_people(&video.id).await;
        let status = status_in_db(&self.inner.db, &video.id).await;
        if end.status == VideoStatus::Cancelled {
            match status {
                Some(VideoStatus::Cancelled) => {}
                Some(VideoStatus::Paused) => {
                    tracing::info!("paused; the finished segments are kept for the resume");
                    return;
                }
                _ if self.inner.shutdown.is_cancelled() => {
                    tracing::info!(
                        "stopped at a frame by shutdown; re-queued before the process exits"
                    );
                    return;
                }
                _ => {}
            }
        }
        if let Some(found) = found {
            if !self.still_holds(held).await {
                tracing::warn!("lost the video to another worker; its results are not stored");
                return;
            }
            if status == Some(VideoStatus::Cancelled) {
                // Cancel is final: no people or profiles come out of a cancelled video.
                tracing::info!("cancelled before its people were stored; none are");
            } else {
                self.store_boxes(&video.id, &found).await;
                let stored = self
                    .inner
                    .profiles
                    .record_people(&video.id, video.create_profiles, found.people)
                    .await;
                match stored {
                    Ok(alerts) => {
                        for alert in alerts {
                            self.inner.events.publish(VideoEvent::Alert(alert));
                        }
                    }
                    Err(error) => {
                        tracing::error!(
                            error = format!("{error:#}"),
                            "storing the people found failed"
                        );
                        end = failed(
                            "the people found could not be stored (internal error, logged)",
                            Some(end.progress),
                        );
                    }
                }
            }
        }
        self.finish(held, &end).await;
    }

    /// Stores a finished video's face boxes, labelled with its people's ordinals. A failure
    /// is logged and costs only the boxes drawn over the player: counts and people stand.
    async fn store_boxes(&self, video_id: &str, found: &Found) {
        let storage = &self.inner.storage;
        match timeline::store_boxes(storage, video_id, &found.boxes, &found.people).await {
            Ok(bytes) => tracing::info!(bytes, faces = found.boxes.len(), "face boxes stored"),
            Err(error) => {
                tracing::error!(%error, "storing the face boxes failed; the player shows none")
            }
        }
    }

    /// The counts last stored for a video (what a failure keeps).
    async fn counts_in_db(&self, id: &str) -> Option<ProgressUpdate> {
        let video = self.inner.db.get_video(id).await.ok().flatten()?;
        Some(ProgressUpdate {
            totals: ScanTotals {
                frames_processed: video.frames_processed,
                faces_total: video.faces_total,
                max_faces_in_frame: video.max_faces_in_frame,
                frames_with_faces: video.frames_with_faces,
            },
            progress: video.progress,
            processing_fps: video.processing_fps.unwrap_or(0.0),
            people_count: video.people_count,
            activity: None, // the stored one is kept
        })
    }

    /// The CPU-bound part, on a blocking-pool thread.
    fn scan_blocking(
        &self,
        handle: &Handle,
        held: &ClaimedVideo,
        (path, duration_s): (PathBuf, Option<f64>),
        token: &CancellationToken,
    ) -> ScanEnd {
        vision::use_single_thread();
        let started = Instant::now();
        let mut last = None;
        let mut people_count = None;
        let mut activity = FaceActivity::default();
        let panic_after = self.inner.faults.panic_after(&held.video_id);
        let mut meter = self.inner.metrics.work_meter();
        let result = (|| {
            let models = &self.inner.models;
            let mut detector = vision::FaceDetector::new(&models.detector)?;
            let mut people = vision::PeopleTracker::new(&models.people)?;
            let mut last_report = started;
            let on_frame = |_: &_, _: &_, progress: &vision::ScanProgress, so_far: usize| {
                last = Some(*progress);
                meter.observe(&progress.totals);
                activity.observe(progress);
                if panic_after.is_some_and(|n| progress.totals.frames_processed >= n) {
                    panic!("injected fault: a panic after {panic_after:?} frames");
                }
                if token.is_cancelled() {
                    return ControlFlow::Break(());
                }
                if last_report.elapsed() >= REPORT_EVERY {
                    last_report = Instant::now();
                    let count = Some(so_far as i64);
                    let faces = ActivityUpdate::new(activity.faces_from_zero(), duration_s);
                    let update = progress_update(progress, started.elapsed(), count, Some(faces));
                    if !handle.block_on(self.report(held, &update)) {
                        token.cancel();
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            };
            let outcome = vision::scan_video_people(&path, &mut detector, &mut people, on_frame)?;
            people_count = Some(people.people_so_far() as i64);
            if !outcome.completed {
                return Ok((outcome, None));
            }
            let boxes = people.take_boxes();
            let found = Found {
                people: people.finish()?,
                boxes,
            };
            people_count = Some(found.people.len() as i64);
            Ok((outcome, Some(found)))
        })();
        ScanEnd {
            result,
            last,
            people_count,
            elapsed: started.elapsed(),
            segments: 1,
            activity: Some(ActivityUpdate::new(activity.faces_from_zero(), duration_s)),
        }
    }

    /// Stores progress and tells subscribers; false when the job should stop
    /// (cancelled in the database, possibly by another process, or deleted).
    pub(super) async fn report(&self, held: &ClaimedVideo, update: &ProgressUpdate) -> bool {
        match self.inner.db.update_progress(held, update).await {
            Ok(Some(video)) => {
                let keep_going = video.status == VideoStatus::Processing;
                self.inner.events.publish(VideoEvent::Changed(video));
                keep_going
            }
            Ok(None) => false,
            Err(error) => {
                tracing::warn!(%error, "storing progress failed; will retry");
                true
            }
        }
    }

    /// The final write, retried with backoff: a job's result is not dropped for one failed
    /// write (if all fail, the lease lapses and the video runs again).
    pub(super) async fn finish(&self, held: &ClaimedVideo, end: &JobEnd) {
        let mut backoff = RETRY_FIRST;
        loop {
            let written = match self.inner.faults.final_write_fails(&held.video_id) {
                true => Err(super::Faults::database_error()),
                false => self.inner.db.finish_video(held, end).await,
            };
            match written {
                Ok(Some(video)) => {
                    tracing::info!(status = %video.status, faces = video.faces_total, people = ?video.people_count, frames = video.frames_processed, "job ended");
                    let elapsed = held.claimed_at.elapsed();
                    self.inner.metrics.job_ended(&video, elapsed);
                    self.inner.events.publish(VideoEvent::Changed(video));
                    return;
                }
                Ok(None) => {
                    tracing::info!(
                        "video deleted, or taken over by another worker, while processing"
                    );
                    return;
                }
                Err(error) if backoff <= RETRY_LAST => {
                    tracing::warn!(%error, retry_in_ms = backoff.as_millis() as u64, "storing the job's result failed");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
                Err(error) => {
                    tracing::error!(%error, "storing the job's result failed; the video runs again when its lease expires");
                    return;
                }
            }
        }
    }
}

/// First wait before a database write is tried again; doubled up to `RETRY_LAST`.
pub(super) const RETRY_FIRST: Duration = Duration::from_millis(500);
pub(super) const RETRY_LAST: Duration = Duration::from_secs(4);

/// A job stopped before its first frame: a cancel keeps the counts stored so far.
fn stopped_before_scanning(kept: Option<ProgressUpdate>) -> JobEnd {
    JobEnd {
        status: VideoStatus::Cancelled,
        progress: kept.unwrap_or(empty_progress()),
        error: None,
        frames_total: None,
        segments: None,
    }
}

async fn status_in_db(db: &crate::db::Db, id: &str) -> Option<VideoStatus> {
    db.get_video(id).await.ok().flatten().map(|v| v.status)
}
