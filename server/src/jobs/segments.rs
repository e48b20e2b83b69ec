//! One long video on every free job slot: its time segments are scanned by
//! "lanes", the job's own slot and any other slot that frees up while
//! segments are left (slots go to the earliest video first, so later uploads
//! wait their turn as before). When the last segment ends the results are
//! merged into exactly the one-pass counts and people; if the segments do
//! not meet, or one fails, the caller scans the video in one pass instead.

use super::runner::ScanEnd;
use super::JobSystem;
use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::runtime::Handle;
use tokio_util::sync::CancellationToken;
use vision::{
    PeoplePart, ScanOutcome, SegmentBoard, SegmentOutcome, SegmentSpec, VideoInfo, VisionError,
};

type SegmentResult = Result<(SegmentOutcome, PeoplePart), VisionError>;

/// What the lanes of one video share.
struct Lanes {
    id: String,
    path: PathBuf,
    info: VideoInfo,
    segments: usize,
    queue: Mutex<VecDeque<SegmentSpec>>,
    /// Cancelled once every segment has been taken: lanes still waiting for a slot go home.
    drained: CancellationToken,
    board: Mutex<SegmentBoard>,
    results: Mutex<Vec<Option<SegmentResult>>>,
    last_report: Mutex<Instant>,
    started: Instant,
}

impl Lanes {
    fn next(&self) -> Option<SegmentSpec> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        let next = queue.pop_front();
        if queue.is_empty() {
            self.drained.cancel();
        }
        next
    }
}

impl JobSystem {
    /// Scans `path` in segments when it is longer than the segment length and
    /// its timestamps can be trusted; `None` when it should be scanned in one
    /// pass (short, untrusted, or segments that failed or do not meet).
    pub(super) async fn scan_segmented(
        &self,
        id: &str,
        path: &Path,
        token: &CancellationToken,
    ) -> Option<ScanEnd> {
        let segment_s = self.inner.models.segment_secs;
        let planned = {
            let path = path.to_path_buf();
            tokio::task::spawn_blocking(move || plan(&path, segment_s)).await
        };
        let (plan, info) = planned.ok().flatten()?;
        tracing::info!(segments = plan.len(), segment_s, "scanning in segments");
        let lanes = Arc::new(Lanes {
            id: id.to_owned(),
            path: path.to_path_buf(),
            board: Mutex::new(SegmentBoard::new(&plan, &info)),
            results: Mutex::new((0..plan.len()).map(|_| None).collect()),
            info,
            segments: plan.len(),
            queue: Mutex::new(plan.iter().copied().collect()),
            drained: CancellationToken::new(),
            last_report: Mutex::new(Instant::now()),
            started: Instant::now(),
        });
        let mut running = tokio::task::JoinSet::new();
        for lane in 0..plan.len() {
            let (this, lanes, token) = (self.clone(), lanes.clone(), token.clone());
            running.spawn(async move { this.lane(lane, &lanes, &token).await });
        }
        while running.join_next().await.is_some() {}
        self.segmented_end(&lanes, token)
    }

    /// Lane 0 runs on the job's own slot; the others first wait for a free one.
    async fn lane(&self, lane: usize, lanes: &Arc<Lanes>, token: &CancellationToken) {
        let permit = if lane == 0 {
            None
        } else {
            tokio::select! {
                permit = self.inner.permits.clone().acquire_owned() => match permit {
                    Ok(permit) => Some(permit),
                    Err(_) => return,
                },
                _ = lanes.drained.cancelled() => return,
                _ = token.cancelled() => return,
            }
        };
        if lanes.drained.is_cancelled() {
            return;
        }
        let (this, lanes, token, handle) = (
            self.clone(),
            lanes.clone(),
            token.clone(),
            Handle::current(),
        );
        let ran = tokio::task::spawn_blocking(move || this.run_lane(&handle, &lanes, &token)).await;
        if let Err(panic) = ran {
            tracing::error!(?panic, lane, "a segment lane panicked");
        }
        drop(permit);
    }

    /// Takes segments until none are left (or the job is cancelled).
    fn run_lane(&self, handle: &Handle, lanes: &Lanes, token: &CancellationToken) {
        vision::use_single_thread();
        let models = &self.inner.models;
        let loaded = vision::FaceDetector::new(&models.detector)
            .and_then(|d| vision::PeopleTracker::new(&models.people).map(|t| (d, t)));
        let (mut detector, mut tracker) = match loaded {
            Ok(m) => m,
            Err(error) => {
                if let Some(spec) = lanes.next() {
                    store(lanes, spec.index, Err(error));
                }
                return;
            }
        };
        while let Some(spec) = lanes.next() {
            if token.is_cancelled() {
                return;
            }
            let scanned = vision::scan_segment(
                &lanes.path,
                &spec,
                &mut detector,
                Some(&mut tracker),
                |p, n| {
                    if token.is_cancelled() {
                        return ControlFlow::Break(());
                    }
                    let video = lanes
                        .board
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .update(spec.index, p, n);
                    self.report_lanes(handle, lanes, token, &video);
                    ControlFlow::Continue(())
                },
            );
            let result = scanned.and_then(|out| Ok((out, tracker.finish_part()?)));
            if let Ok((out, _)) = &result {
                if !out.completed {
                    return; // cancelled
                }
                let mut board = lanes.board.lock().unwrap_or_else(|e| e.into_inner());
                board.finish(spec.index, out.totals);
            }
            store(lanes, spec.index, result);
        }
    }

    /// Stores the video's progress at most every `REPORT_EVERY`, from whichever lane.
    fn report_lanes(
        &self,
        handle: &Handle,
        lanes: &Lanes,
        token: &CancellationToken,
        video: &vision::ScanProgress,
    ) {
        {
            let mut last = lanes.last_report.lock().unwrap_or_else(|e| e.into_inner());
            if last.elapsed() < super::runner::REPORT_EVERY {
                return;
            }
            *last = Instant::now();
        }
        let people = lanes
            .board
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .people_so_far();
        let update =
            super::runner::progress_update(video, lanes.started.elapsed(), Some(people as i64));
        if !handle.block_on(self.report(&lanes.id, &update)) {
            token.cancel();
        }
    }

    /// The merged result, a cancelled scan's partial counts, or `None` for a one-pass rescan.
    fn segmented_end(&self, lanes: &Lanes, token: &CancellationToken) -> Option<ScanEnd> {
        let elapsed = lanes.started.elapsed();
        let current = lanes
            .board
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .current(0.0);
        if token.is_cancelled() {
            let outcome = ScanOutcome {
                info: lanes.info.clone(),
                totals: current.totals,
                completed: false,
                ended_early: false,
            };
            return Some(ScanEnd {
                result: Ok((outcome, None)),
                last: Some(current),
                people_count: None,
                elapsed,
                segments: lanes.segments as i64,
            });
        }
        let results = std::mem::take(&mut *lanes.results.lock().unwrap_or_else(|e| e.into_inner()));
        let mut outcomes = Vec::with_capacity(results.len());
        let mut parts = Vec::with_capacity(results.len());
        for (index, result) in results.into_iter().enumerate() {
            match result {
                Some(Ok((outcome, part))) => {
                    outcomes.push(outcome);
                    parts.push(part);
                }
                Some(Err(error)) => {
                    tracing::warn!(index, %error, "a segment failed; scanning the video in one pass");
                    return None;
                }
                None => {
                    tracing::warn!(
                        index,
                        "a segment did not run; scanning the video in one pass"
                    );
                    return None;
                }
            }
        }
        let merged = match vision::merge_segments(&outcomes, true) {
            Ok(merged) => merged,
            Err(mismatch) => {
                tracing::warn!(%mismatch, "segments do not meet; scanning the video in one pass");
                return None;
            }
        };
        let people = vision::group_parts(&parts, &self.inner.models.people);
        tracing::info!(
            segments = outcomes.len(),
            people = people.len(),
            elapsed_ms = elapsed.as_millis() as u64,
            "segments merged"
        );
        Some(ScanEnd {
            people_count: Some(people.len() as i64),
            last: Some(current),
            result: Ok((merged, Some(people))),
            elapsed,
            segments: outcomes.len() as i64,
        })
    }
}

fn store(lanes: &Lanes, index: usize, result: SegmentResult) {
    if let Some(slot) = lanes
        .results
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_mut(index)
    {
        *slot = Some(result);
    }
}

/// The segments of a video worth cutting: longer than `segment_s`, with timestamps and seeking to trust.
fn plan(path: &Path, segment_s: f64) -> Option<(Vec<SegmentSpec>, VideoInfo)> {
    let info = vision::VideoReader::open(path).ok()?.info().clone();
    if segment_s.is_nan() || segment_s <= 0.0 || info.duration_s.is_none_or(|d| d <= segment_s) {
        return None;
    }
    if !vision::seeking_is_trusted(path).unwrap_or(false) {
        tracing::info!("timestamps or seeking of the file not reliable; scanning in one pass");
        return None;
    }
    let plan = vision::plan_segments(&info, segment_s);
    (plan.len() > 1).then_some((plan, info))
}
