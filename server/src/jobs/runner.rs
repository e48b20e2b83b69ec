//! One job: decode every frame of a video, detect faces and follow people on the blocking
//! pool, storing progress a few times a second and the final counts and people at the end.

use super::JobSystem;
use crate::db::videos::{JobEnd, ProgressUpdate};
use crate::events::VideoEvent;
use app::model::{Video, VideoStatus};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;
use vision::{Person, ScanOutcome, ScanProgress, ScanTotals, VisionError};

/// How often a running job stores its counts (listings are at most this stale).
pub(super) const REPORT_EVERY: Duration = Duration::from_millis(250);

/// What the blocking part of a job ends with.
pub(super) struct ScanEnd {
    pub result: Result<(ScanOutcome, Option<Vec<Person>>), VisionError>,
    pub last: Option<ScanProgress>,
    pub people_count: Option<i64>,
    pub elapsed: Duration,
    /// Time segments the video was scanned in (1: one pass).
    pub segments: i64,
}

impl JobSystem {
    /// Runs one claimed video to its end and writes the result.
    #[tracing::instrument(skip_all, fields(video_id = %video.id))]
    pub(super) async fn run_job(&self, video: Video, token: CancellationToken) {
        let _lease = self.hold_lease(&video.id);
        let Some(local) = self.video_path(&video.id).await else {
            return;
        };
        let path = local.path().to_path_buf();
        let joined = match self.scan_segmented(&video, &path, &token).await {
            Some(end) => Ok(end),
            None => {
                let this = self.clone();
                let id = video.id.clone();
                let blocking_token = token.clone();
                let handle = Handle::current();
                tokio::task::spawn_blocking(move || {
                    this.scan_blocking(&handle, &id, path, &blocking_token)
                })
                .await
            }
        };
        drop(local); // a downloaded copy is removed now
        let (mut end, people) = match joined {
            Ok(scan) => job_end(scan),
            Err(panic) => {
                tracing::error!(?panic, "job panicked");
                (
                    failed("internal error while processing the video", None),
                    None,
                )
            }
        };
        if end.status == VideoStatus::Cancelled {
            match status_in_db(&self.inner.db, &video.id).await {
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
        if let Some(people) = people {
            if !self.still_holds(&video.id).await {
                tracing::warn!("lost the video to another worker; its results are not stored");
                return;
            }
            let stored = self
                .inner
                .profiles
                .record_people(&video.id, video.create_profiles, people)
                .await;
            if let Err(error) = stored {
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
        self.finish(&video.id, &end).await;
    }

    /// A local file of the video for OpenCV: the stored file itself (`file://`) or a
    /// temporary download; `None` when there is nothing to scan (the video fails if unreadable).
    async fn video_path(&self, id: &str) -> Option<crate::storage::LocalCopy> {
        let key = match self.inner.db.video_storage_key(id).await {
            Ok(Some(key)) => key,
            Ok(None) => return None, // deleted meanwhile
            Err(error) => {
                tracing::error!(%error, "reading the video's storage key failed");
                return None;
            }
        };
        match self.inner.storage.local_copy(&key).await {
            Ok(local) => Some(local),
            Err(error) => {
                tracing::error!(%error, key, "fetching the video from storage failed");
                self.finish(
                    id,
                    &failed(
                        "the video file could not be read from storage (logged)",
                        None,
                    ),
                )
                .await;
                None
            }
        }
    }

    /// The CPU-bound part, on a blocking-pool thread.
    fn scan_blocking(
        &self,
        handle: &Handle,
        id: &str,
        path: PathBuf,
        token: &CancellationToken,
    ) -> ScanEnd {
        vision::use_single_thread();
        let started = Instant::now();
        let mut last = None;
        let mut people_count = None;
        let result = (|| {
            let models = &self.inner.models;
            let mut detector = vision::FaceDetector::new(&models.detector)?;
            let mut people = vision::PeopleTracker::new(&models.people)?;
            let mut failure = None;
            let mut last_report = started;
            let outcome = vision::scan_video(&path, &mut detector, |frame, faces, progress| {
                last = Some(*progress);
                if let Err(error) = people.observe(frame, faces) {
                    failure = Some(error);
                    return ControlFlow::Break(());
                }
                if token.is_cancelled() {
                    return ControlFlow::Break(());
                }
                if last_report.elapsed() >= REPORT_EVERY {
                    last_report = Instant::now();
                    let count = Some(people.people_so_far() as i64);
                    let update = progress_update(progress, started.elapsed(), count);
                    if !handle.block_on(self.report(id, &update)) {
                        token.cancel();
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            })?;
            if let Some(error) = failure {
                return Err(error);
            }
            people_count = Some(people.people_so_far() as i64);
            if !outcome.completed {
                return Ok((outcome, None));
            }
            let found = people.finish()?;
            people_count = Some(found.len() as i64);
            Ok((outcome, Some(found)))
        })();
        ScanEnd {
            result,
            last,
            people_count,
            elapsed: started.elapsed(),
            segments: 1,
        }
    }

    /// Stores progress and tells subscribers; false when the job should stop
    /// (cancelled in the database, possibly by another process, or deleted).
    pub(super) async fn report(&self, id: &str, update: &ProgressUpdate) -> bool {
        match self
            .inner
            .db
            .update_progress(id, &self.inner.lease, update)
            .await
        {
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

    async fn finish(&self, id: &str, end: &JobEnd) {
        match self
            .inner
            .db
            .finish_video(id, &self.inner.lease.worker_id, end)
            .await
        {
            Ok(Some(video)) => {
                tracing::info!(status = %video.status, faces = video.faces_total, people = ?video.people_count, frames = video.frames_processed, "job ended");
                self.inner.events.publish(VideoEvent::Changed(video));
            }
            Ok(None) => {
                tracing::info!("video deleted, or taken over by another worker, while processing")
            }
            Err(error) => tracing::error!(%error, "storing the job's result failed"),
        }
    }
}

async fn status_in_db(db: &crate::db::Db, id: &str) -> Option<VideoStatus> {
    db.get_video(id).await.ok().flatten().map(|v| v.status)
}

pub(super) fn progress_update(
    progress: &ScanProgress,
    elapsed: Duration,
    people_count: Option<i64>,
) -> ProgressUpdate {
    ProgressUpdate {
        totals: progress.totals,
        progress: progress.progress,
        processing_fps: progress.totals.frames_processed as f64 / elapsed.as_secs_f64().max(1e-3),
        people_count,
    }
}

/// The final write of a job and, for a finished video, the people to store.
fn job_end(scan: ScanEnd) -> (JobEnd, Option<Vec<Person>>) {
    let last = scan
        .last
        .map(|p| progress_update(&p, scan.elapsed, scan.people_count));
    match scan.result {
        Ok((outcome, people)) if outcome.completed => {
            let totals = outcome.totals;
            let end = JobEnd {
                // Counts of a damaged file cover only part of it: the operator must see that.
                status: if outcome.ended_early {
                    VideoStatus::Failed
                } else {
                    VideoStatus::Done
                },
                progress: ProgressUpdate {
                    totals,
                    progress: 100.0,
                    processing_fps: totals.frames_processed as f64
                        / scan.elapsed.as_secs_f64().max(1e-3),
                    people_count: scan.people_count,
                },
                error: outcome.ended_early.then(|| early_end_warning(&outcome)),
                // The real count replaces the container's claim, unless the file is cut short.
                frames_total: (!outcome.ended_early).then_some(totals.frames_processed),
                segments: Some(scan.segments),
            };
            (end, people)
        }
        Ok((outcome, _)) => {
            let progress = ProgressUpdate {
                totals: outcome.totals,
                ..last.unwrap_or(empty_progress())
            };
            (
                JobEnd {
                    status: VideoStatus::Cancelled,
                    progress,
                    error: None,
                    frames_total: None,
                    segments: None,
                },
                None,
            )
        }
        Err(error) => {
            tracing::error!(error = %error, "the job failed");
            (failed(&operator_message(&error), last), None)
        }
    }
}

/// What the operator is told about a failed job: the cause in plain words, without server
/// paths or OpenCV internals (those are logged).
fn operator_message(error: &VisionError) -> String {
    match error {
        VisionError::Open { .. } => {
            "the file could not be opened as a video (damaged or unsupported format)"
        }
        VisionError::NoFrames { .. } => {
            "no frame of the video could be decoded (damaged or truncated file)"
        }
        VisionError::ModelMissing { .. }
        | VisionError::ModelInvalid { .. }
        | VisionError::OrtUnavailable { .. } => {
            "the face models are missing or unusable on this server (details logged)"
        }
        VisionError::OpenCv(_) | VisionError::Ort(_) | VisionError::UnexpectedOutput { .. } => {
            "face detection failed on this video (internal error, details logged)"
        }
    }
    .into()
}

/// A video that stopped decoding well before its announced end fails, but keeps its counts
/// (and people), with this note saying what they cover.
fn early_end_warning(outcome: &ScanOutcome) -> String {
    let announced = outcome
        .info
        .frame_count
        .map_or_else(|| "?".into(), |n| n.to_string());
    format!(
        "the file is damaged or truncated: decoding stopped after {} of {announced} announced frames; the counts cover those frames only",
        outcome.totals.frames_processed
    )
}

fn failed(message: &str, last: Option<ProgressUpdate>) -> JobEnd {
    JobEnd {
        status: VideoStatus::Failed,
        progress: last.unwrap_or(empty_progress()),
        error: Some(message.into()),
        frames_total: None,
        segments: None,
    }
}

fn empty_progress() -> ProgressUpdate {
    ProgressUpdate {
        totals: ScanTotals::default(),
        progress: 0.0,
        processing_fps: 0.0,
        people_count: None,
    }
}
