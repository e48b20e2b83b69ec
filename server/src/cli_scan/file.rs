//! One file of `facetally scan`: its segments, their progress and their merge.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use indicatif::ProgressBar;
use vision::{
    FaceDetector, PeoplePart, PeopleSettings, PeopleTracker, ScanOutcome, SegmentBoard,
    SegmentOutcome, SegmentSpec, VisionError,
};

use super::{report, FileResult};

/// Segments shorter than this are not worth their pre-roll.
const MIN_SEGMENT_S: f64 = 10.0;

/// A file being scanned in segments by any of the job threads.
pub(super) struct FileScan {
    path: PathBuf,
    bar: ProgressBar,
    people: Option<PeopleSettings>,
    plan: Vec<SegmentSpec>,
    state: Mutex<State>,
}

struct State {
    board: Option<SegmentBoard>,
    started: Option<Instant>,
    parts: Vec<Option<(SegmentOutcome, Option<PeoplePart>)>>,
    result: Option<FileResult>,
    /// The segments did not meet and the file was scanned again in one pass.
    one_pass: bool,
}

impl FileScan {
    /// Cuts the file into segments of at most `segment_s` seconds, and into
    /// at least `jobs` when each is then still [`MIN_SEGMENT_S`] long; one
    /// segment when the file cannot be cut (or opened: the scan says why).
    pub fn plan(
        path: &Path,
        bar: ProgressBar,
        jobs: usize,
        segment_s: f64,
        people: Option<PeopleSettings>,
    ) -> Self {
        let (plan, board) = match plan_file(path, jobs, segment_s) {
            Some((plan, board)) => (plan, Some(board)),
            None => (vec![SegmentSpec::whole()], None),
        };
        let state = State {
            board,
            started: None,
            parts: vec![None; plan.len()],
            result: None,
            one_pass: false,
        };
        Self {
            path: path.to_path_buf(),
            bar,
            people,
            plan,
            state: Mutex::new(state),
        }
    }

    pub fn segments(&self) -> Vec<SegmentSpec> {
        self.plan.clone()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Scans one segment; the thread that ends the last one merges the file.
    pub fn run_segment(
        &self,
        spec: &SegmentSpec,
        det: &mut FaceDetector,
        mut tracker: Option<&mut PeopleTracker>,
    ) {
        {
            let mut state = self.state();
            if state.result.is_some() {
                return; // an earlier segment failed
            }
            if state.started.is_none() {
                state.started = Some(Instant::now());
                self.bar.set_style(report::running_style());
                self.bar.reset_elapsed();
            }
        }
        let scanned =
            vision::scan_segment(&self.path, spec, det, tracker.as_deref_mut(), |p, n| {
                let mut state = self.state();
                if let Some(board) = state.board.as_mut() {
                    let total = board.update(spec.index, p, n);
                    self.show(&total, self.people.as_ref().map(|_| board.people_so_far()));
                } else {
                    self.show(p, self.people.as_ref().map(|_| n));
                }
                ControlFlow::Continue(())
            })
            .and_then(|out| {
                let part = tracker.map(|t| t.finish_part()).transpose()?;
                Ok((out, part))
            });
        let mut state = self.state();
        match scanned {
            Err(error) => self.end(&mut state, Err(error)),
            Ok((out, part)) => {
                if let Some(board) = state.board.as_mut() {
                    board.finish(spec.index, out.totals);
                }
                state.parts[spec.index] = Some((out, part));
                if state.parts.iter().all(Option::is_some) && state.result.is_none() {
                    let parts: Vec<_> = state.parts.iter_mut().filter_map(Option::take).collect();
                    drop(state);
                    let merged = self.merge(parts, det);
                    let mut state = self.state();
                    self.end(&mut state, merged);
                }
            }
        }
    }

    fn show(&self, p: &vision::ScanProgress, people: Option<usize>) {
        self.bar.set_position(p.progress as u64);
        let t = &p.totals;
        self.bar
            .set_message(report::summary(t.frames_processed, t.faces_total, people));
    }

    /// Adds the segments up (or, if they do not meet, scans the file once).
    fn merge(
        &self,
        parts: Vec<(SegmentOutcome, Option<PeoplePart>)>,
        det: &mut FaceDetector,
    ) -> Result<(ScanOutcome, Option<usize>), VisionError> {
        let (outcomes, people): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
        let merged = vision::merge_segments(&outcomes, self.people.is_some());
        let outcome = match merged {
            Ok(outcome) => outcome,
            Err(mismatch) => {
                tracing::warn!(file = %self.path.display(), %mismatch, "segments do not meet; scanning the file in one pass");
                self.state().one_pass = true;
                return self.single_pass(det);
            }
        };
        if outcome.totals.frames_processed == 0 {
            return Err(VisionError::NoFrames {
                path: self.path.clone(),
            });
        }
        let count = self.people.as_ref().map(|settings| {
            let parts: Vec<PeoplePart> = people.into_iter().flatten().collect();
            vision::group_parts(&parts, settings).len()
        });
        Ok((outcome, count))
    }

    fn single_pass(
        &self,
        det: &mut FaceDetector,
    ) -> Result<(ScanOutcome, Option<usize>), VisionError> {
        let show = |p: &vision::ScanProgress, n| {
            self.show(p, n);
            ControlFlow::Continue(())
        };
        match &self.people {
            None => vision::scan_video(&self.path, det, |_, _, p| show(p, None)).map(|o| (o, None)),
            Some(settings) => {
                let mut tracker = PeopleTracker::new(settings)?;
                let out =
                    vision::scan_video_people(&self.path, det, &mut tracker, |_, _, p, n| {
                        show(p, Some(n))
                    })?;
                Ok((out, Some(tracker.finish()?.len())))
            }
        }
    }

    fn end(&self, state: &mut State, result: Result<(ScanOutcome, Option<usize>), VisionError>) {
        if state.result.is_some() {
            return;
        }
        let elapsed = state.started.map(|s| s.elapsed()).unwrap_or_default();
        match &result {
            Ok((o, people)) => {
                self.bar.set_position(100);
                let t = &o.totals;
                self.bar.finish_with_message(report::summary(
                    t.frames_processed,
                    t.faces_total,
                    *people,
                ));
            }
            Err(e) => self.bar.abandon_with_message(format!("error: {e}")),
        }
        state.result = Some(FileResult {
            path: self.path.clone(),
            elapsed,
            segments: if state.one_pass { 1 } else { self.plan.len() },
            result,
        });
    }

    /// The file's result (after every segment has run).
    pub fn take_result(&self) -> FileResult {
        self.state().result.take().unwrap_or_else(|| FileResult {
            path: self.path.clone(),
            elapsed: Default::default(),
            segments: self.plan.len(),
            result: Err(VisionError::NoFrames {
                path: self.path.clone(),
            }),
        })
    }
}

/// The segments of a file that can be cut, with a board for their progress.
fn plan_file(path: &Path, jobs: usize, segment_s: f64) -> Option<(Vec<SegmentSpec>, SegmentBoard)> {
    let info = vision::VideoReader::open(path).ok()?.info().clone();
    let duration = info.duration_s?;
    let wanted = segment_s.min((duration / jobs as f64).max(MIN_SEGMENT_S));
    if duration <= wanted {
        return None;
    }
    if !vision::seeking_is_trusted(path).unwrap_or(false) {
        tracing::info!(file = %path.display(), "timestamps or seeking not reliable; scanning in one pass");
        return None;
    }
    let plan = vision::plan_segments(&info, wanted);
    let board = SegmentBoard::new(&plan, &info);
    Some((plan, board))
}
