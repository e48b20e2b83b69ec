//! The coordinator of a segmented video: plans its segments (or finds those of an earlier,
//! interrupted run), runs segments on its own slot while any are queued, follows every
//! segment's progress into the video's row, and merges the results at the end.

use super::{aggregate, plan, progress_of, SegmentResult};
use crate::db::segments::{Holders, SegmentState, SegmentStatus};
use crate::jobs::end::{Found, ScanEnd};
use crate::jobs::runner::REPORT_EVERY;
use crate::jobs::JobSystem;
use crate::jobs::{ClaimedVideo, ProgressUpdate};
use app::model::Video;
use std::path::Path;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use vision::{ScanOutcome, ScanProgress, VideoInfo};

/// How often the coordinator returns segments of runners that stopped renewing their lease.
const REQUEUE_EVERY: Duration = Duration::from_secs(2);

/// How following a video's segments ended.
enum Followed {
    /// Every segment is done; the last progress shown.
    AllDone(ProgressUpdate),
    /// A segment failed: the video is scanned in one pass.
    Failed,
    /// Paused, cancelled, deleted or shut down; the last progress shown.
    Stopped(Option<ProgressUpdate>),
}

impl JobSystem {
    /// Scans `video` in segments when it is long enough and its timestamps can be trusted
    /// (continuing an earlier run's segments if it has them); `None` when it should be
    /// scanned in one pass (short, untrusted, or segments that failed or do not meet).
    pub(in crate::jobs) async fn scan_segmented(
        &self,
        video: &Video,
        held: &ClaimedVideo,
        path: &Path,
        token: &CancellationToken,
    ) -> Option<ScanEnd> {
        let segments = self.segments_to_run(&video.id, path).await?;
        let finished = segments
            .iter()
            .filter(|s| s.status == SegmentStatus::Done)
            .count();
        tracing::info!(segments = segments.len(), finished, "scanning in segments");
        self.wake(); // free slots of this process take segments at once
        let started = Instant::now();
        let frames_before = aggregate(&segments).0.frames_processed;
        // Stops this slot's segment too when another segment fails (one pass follows).
        let lanes = token.child_token();
        let follower = {
            let (this, held, lanes) = (self.clone(), held.clone(), lanes.clone());
            let (shown, duration) = (video.progress, video.duration_s);
            tokio::spawn(async move {
                let since = (started, frames_before);
                this.follow_segments(&held, &lanes, since, shown, duration)
                    .await
            })
        };
        // This job's own slot runs segments while any are queued (also those given back
        // by a runner that stopped), until every segment has ended.
        while !lanes.is_cancelled() && !follower.is_finished() {
            match self
                .inner
                .db
                .claim_segment(&self.inner.lease, Some(&video.id))
                .await
            {
                Ok(Some(claim)) => {
                    self.run_segment(&claim, path.to_path_buf(), &lanes).await;
                }
                Ok(None) => tokio::time::sleep(REPORT_EVERY).await,
                Err(error) => {
                    tracing::warn!(%error, "claiming a segment failed; will retry");
                    tokio::time::sleep(REPORT_EVERY).await;
                }
            }
        }
        let followed = follower.await.unwrap_or(Followed::Stopped(None));
        let elapsed = started.elapsed();
        let n = segments.len() as i64;
        match followed {
            Followed::AllDone(last) => self.merge(video, segments.len(), last, elapsed).await,
            Followed::Failed => {
                tracing::warn!("a segment failed; scanning the video in one pass");
                None
            }
            Followed::Stopped(last) => Some(stopped_end(video, last, elapsed, n)),
        }
    }

    /// The stored segments of an interrupted run, or a new plan; `None` for one pass.
    async fn segments_to_run(&self, id: &str, path: &Path) -> Option<Vec<SegmentState>> {
        let db = &self.inner.db;
        let stored = match db.segments_of(id).await {
            Ok(stored) => stored,
            Err(error) => {
                tracing::error!(%error, "reading the video's segments failed; one pass");
                return None;
            }
        };
        if !stored.is_empty() {
            return Some(stored);
        }
        let segment_s = self.inner.models.segment_secs;
        let owned = path.to_path_buf();
        let planned = tokio::task::spawn_blocking(move || plan(&owned, segment_s))
            .await
            .ok()
            .flatten()?;
        match db.plan_segments(id, &planned).await {
            Ok(segments) if segments.len() > 1 => Some(segments),
            Ok(_) => None,
            Err(error) => {
                tracing::error!(%error, "storing the video's segments failed; one pass");
                None
            }
        }
    }

    /// Stores the video's progress over its segments a few times a second until every
    /// segment has ended or the job stops.
    async fn follow_segments(
        &self,
        held: &ClaimedVideo,
        token: &CancellationToken,
        (started, frames_before): (Instant, i64),
        mut shown: f64,
        duration_s: Option<f64>,
    ) -> Followed {
        let id = held.video_id.as_str();
        let mut last = None;
        let mut requeued_at = Instant::now();
        loop {
            if token.is_cancelled() {
                return Followed::Stopped(last);
            }
            if requeued_at.elapsed() >= REQUEUE_EVERY {
                requeued_at = Instant::now();
                match self
                    .inner
                    .db
                    .requeue_segments(Holders::Expired, self.inner.max_attempts)
                    .await
                {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(
                        n,
                        "re-queued segments whose runner stopped renewing its lease"
                    ),
                    Err(error) => tracing::warn!(%error, "re-queueing expired segments failed"),
                }
            }
            let segments = match self.inner.db.segments_of(id).await {
                Ok(segments) if !segments.is_empty() => segments,
                Ok(_) => return Followed::Stopped(last), // cancelled or deleted meanwhile
                Err(error) => {
                    tracing::warn!(%error, "reading segment progress failed; will retry");
                    tokio::time::sleep(REPORT_EVERY).await;
                    continue;
                }
            };
            let elapsed = started.elapsed();
            let update = progress_of(&segments, shown, frames_before, elapsed, duration_s);
            shown = update.progress;
            if segments.iter().any(|s| s.status == SegmentStatus::Failed) {
                // Every runner of the video stops: those of this process now, the others at
                // their next progress store (their rows are gone).
                self.forget_segments(id).await;
                token.cancel();
                return Followed::Failed;
            }
            if segments.iter().all(|s| s.status == SegmentStatus::Done) {
                return Followed::AllDone(update);
            }
            if !self.report(held, &update).await {
                token.cancel(); // paused, cancelled, deleted or taken over
                return Followed::Stopped(Some(update));
            }
            last = Some(update);
            tokio::select! {
                _ = tokio::time::sleep(REPORT_EVERY) => {}
                _ = token.cancelled() => {}
            }
        }
    }

    /// Adds up the stored segment results; `None` (one pass) when they do not meet.
    async fn merge(
        &self,
        video: &Video,
        count: usize,
        last: ProgressUpdate,
        elapsed: Duration,
    ) -> Option<ScanEnd> {
        let stored = match self.inner.db.segment_results(&video.id).await {
            Ok(stored) => stored,
            Err(error) => {
                tracing::error!(%error, "reading the segments' results failed; one pass");
                return None;
            }
        };
        let mut outcomes = Vec::with_capacity(count);
        let mut parts = Vec::with_capacity(count);
        for (idx, json) in &stored {
            match serde_json::from_str::<SegmentResult>(json) {
                Ok((outcome, part)) => {
                    outcomes.push(outcome);
                    parts.push(part);
                }
                Err(error) => {
                    tracing::error!(idx, %error, "a stored segment result is unreadable; one pass");
                    self.forget_segments(&video.id).await;
                    return None;
                }
            }
        }
        let merged = if outcomes.len() == count {
            vision::merge_segments(&outcomes, true)
        } else {
            Err(vision::SegmentMismatch::Incomplete)
        };
        let merged = match merged {
            Ok(merged) => merged,
            Err(mismatch) => {
                tracing::warn!(%mismatch, "segments do not meet; scanning the video in one pass");
                self.forget_segments(&video.id).await;
                return None;
            }
        };
        let settings = self.inner.models.people.clone();
        let found = tokio::task::spawn_blocking(move || Found {
            people: vision::group_parts(&parts, &settings),
            boxes: parts
                .iter()
                .flat_map(|p| p.boxes().iter().copied())
                .collect(),
        })
        .await
        .ok()?;
        let people = &found.people;
        tracing::info!(
            segments = count,
            people = people.len(),
            elapsed_ms = elapsed.as_millis() as u64,
            "segments merged"
        );
        let current = ScanProgress {
            totals: merged.totals,
            progress: last.progress,
            position_s: 0.0,
        };
        Some(ScanEnd {
            people_count: Some(people.len() as i64),
            last: Some(current),
            activity: last.activity,
            result: Ok((merged, Some(found))),
            elapsed,
            segments: count as i64,
        })
    }

    async fn forget_segments(&self, id: &str) {
        if let Err(error) = self.inner.db.delete_segments(id).await {
            tracing::warn!(%error, "removing the video's segments failed");
        }
    }
}

/// A segmented run stopped before its end, with the counts last shown.
fn stopped_end(video: &Video, last: Option<ProgressUpdate>, elapsed: Duration, n: i64) -> ScanEnd {
    let activity = last.as_ref().and_then(|u| u.activity.clone());
    let last = last.map(|u| ScanProgress {
        totals: u.totals,
        progress: u.progress,
        position_s: 0.0,
    });
    let info = VideoInfo {
        width: video.width.unwrap_or(0) as _,
        height: video.height.unwrap_or(0) as _,
        fps: video.fps,
        frame_count: video.frames_total,
        duration_s: video.duration_s,
    };
    let outcome = ScanOutcome {
        info,
        totals: last.map(|p| p.totals).unwrap_or_default(),
        completed: false,
        ended_early: false,
    };
    ScanEnd {
        result: Ok((outcome, None)),
        last,
        people_count: None,
        elapsed,
        segments: n,
        activity,
    }
}
