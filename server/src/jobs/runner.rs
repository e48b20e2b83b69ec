//! One job: decode every frame of a video and detect faces on the blocking pool, storing
//! progress a few times a second and the final counts at the end.

use super::JobSystem;
use crate::db::videos::{JobEnd, ProgressUpdate};
use crate::events::VideoEvent;
use app::model::{Video, VideoStatus};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;
use vision::{ScanProgress, ScanTotals};

/// How often a running job stores its counts (listings are at most this stale).
const REPORT_EVERY: Duration = Duration::from_millis(250);

/// What the blocking part of a job ends with.
struct ScanEnd {
    result: Result<vision::ScanOutcome, vision::VisionError>,
    last: Option<ScanProgress>,
    elapsed: Duration,
}

impl JobSystem {
    /// Runs one claimed video to its end and writes the result.
    #[tracing::instrument(skip_all, fields(video_id = %video.id))]
    pub(super) async fn run_job(&self, video: Video, token: CancellationToken) {
        let Some(path) = self.video_path(&video.id).await else { return };
        let this = self.clone();
        let id = video.id.clone();
        let blocking_token = token.clone();
        let handle = Handle::current();
        let joined = tokio::task::spawn_blocking(move || {
            this.scan_blocking(&handle, &id, path, &blocking_token)
        })
        .await;
        let end = match joined {
            Ok(end) => job_end(end),
            Err(panic) => {
                tracing::error!(?panic, "job panicked");
                failed("internal error while processing the video")
            }
        };
        if end.status == VideoStatus::Cancelled
            && self.inner.shutdown.is_cancelled()
            && !cancelled_in_db(&self.inner.db, &video.id).await
        {
            tracing::info!("stopped by shutdown; it is re-queued at the next start");
            return;
        }
        self.finish(&video.id, &end).await;
    }

    async fn video_path(&self, id: &str) -> Option<PathBuf> {
        match self.inner.db.video_storage_key(id).await {
            Ok(Some(key)) => Some(self.inner.storage.local_path(&key)),
            Ok(None) => None, // deleted meanwhile
            Err(error) => {
                tracing::error!(%error, "reading the video's storage key failed");
                None
            }
        }
    }

    /// The CPU-bound part, on a blocking-pool thread.
    fn scan_blocking(&self, handle: &Handle, id: &str, path: PathBuf, token: &CancellationToken) -> ScanEnd {
        vision::use_single_thread();
        let started = Instant::now();
        let mut last = None;
        let result = vision::FaceDetector::new(&self.inner.detector).and_then(|mut detector| {
            let mut last_report = started;
            vision::scan_video(&path, &mut detector, |_frame, _faces, progress| {
                last = Some(*progress);
                if token.is_cancelled() {
                    return ControlFlow::Break(());
                }
                if last_report.elapsed() >= REPORT_EVERY {
                    last_report = Instant::now();
                    let update = progress_update(progress, started.elapsed());
                    if !handle.block_on(self.report(id, &update)) {
                        token.cancel();
                        return ControlFlow::Break(());
                    }
                }
                ControlFlow::Continue(())
            })
        });
        ScanEnd { result, last, elapsed: started.elapsed() }
    }

    /// Stores progress and tells subscribers; false when the job should stop
    /// (cancelled in the database, possibly by another process, or deleted).
    async fn report(&self, id: &str, update: &ProgressUpdate) -> bool {
        match self.inner.db.update_progress(id, update).await {
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
        match self.inner.db.finish_video(id, end).await {
            Ok(Some(video)) => {
                tracing::info!(status = %video.status, faces = video.faces_total, frames = video.frames_processed, "job ended");
                self.inner.events.publish(VideoEvent::Changed(video));
            }
            Ok(None) => tracing::info!("video deleted while processing"),
            Err(error) => tracing::error!(%error, "storing the job's result failed"),
        }
    }
}

async fn cancelled_in_db(db: &crate::db::Db, id: &str) -> bool {
    matches!(db.get_video(id).await, Ok(Some(v)) if v.status == VideoStatus::Cancelled)
}

fn progress_update(progress: &ScanProgress, elapsed: Duration) -> ProgressUpdate {
    ProgressUpdate {
        totals: progress.totals,
        progress: progress.progress,
        processing_fps: progress.totals.frames_processed as f64 / elapsed.as_secs_f64().max(1e-3),
    }
}

fn job_end(end: ScanEnd) -> JobEnd {
    let last = end.last.map(|p| progress_update(&p, end.elapsed));
    match end.result {
        Ok(outcome) if outcome.completed => JobEnd {
            status: VideoStatus::Done,
            progress: ProgressUpdate {
                totals: outcome.totals,
                progress: 100.0,
                processing_fps: outcome.totals.frames_processed as f64
                    / end.elapsed.as_secs_f64().max(1e-3),
            },
            error: outcome.ended_early.then(|| early_end_warning(&outcome)),
            // The real count replaces the container's claim, unless the file is cut short.
            frames_total: (!outcome.ended_early).then_some(outcome.totals.frames_processed),
        },
        Ok(outcome) => JobEnd {
            status: VideoStatus::Cancelled,
            progress: ProgressUpdate { totals: outcome.totals, ..last.unwrap_or(empty_progress()) },
            error: None,
            frames_total: None,
        },
        Err(error) => JobEnd { error: Some(error.to_string()), ..failed_with(last) },
    }
}

/// A finished video that stopped decoding well before its announced end keeps its counts,
/// with this note so the operator knows they cover only part of the file.
fn early_end_warning(outcome: &vision::ScanOutcome) -> String {
    let announced = outcome.info.frame_count.map_or_else(|| "?".into(), |n| n.to_string());
    format!(
        "the file ended early: {} of {announced} announced frames could be decoded; it may be truncated or damaged",
        outcome.totals.frames_processed
    )
}

fn failed(message: &str) -> JobEnd {
    JobEnd { error: Some(message.into()), ..failed_with(None) }
}

fn failed_with(last: Option<ProgressUpdate>) -> JobEnd {
    JobEnd {
        status: VideoStatus::Failed,
        progress: last.unwrap_or(empty_progress()),
        error: None,
        frames_total: None,
    }
}

fn empty_progress() -> ProgressUpdate {
    ProgressUpdate { totals: ScanTotals::default(), progress: 0.0, processing_fps: 0.0 }
}
