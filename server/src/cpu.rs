//! One limiter of the CPU-bound work of a process: video jobs, upload probes and search
//! photos all hold one of its permits while they run on the blocking pool.
//!
//! Two kinds of work share it. A *job* (a whole video, or one segment of one) runs for
//! seconds to hours; *short work* (probing an upload: open it and decode one frame;
//! analysing one search photo) runs for milliseconds. Jobs may hold at most `job_slots`
//! permits, which is always fewer than all of them, so at least one permit is kept for
//! short work alone. Short work takes any free permit, including those of idle job slots.
//!
//! Why a reserve and not jobs giving their permit back between frame batches: a job keeps
//! its detector, tracker and decoder state on its thread for its whole run, and handing the
//! permit back per batch would let a burst of uploads stall every job and make a job's speed
//! depend on the upload traffic. With the reserve a probe waits only for other short work
//! (milliseconds each), never for a job, and jobs run at the speed of their own slot.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Shares the CPU between jobs and short work. Cheap to clone.
#[derive(Clone)]
pub struct CpuLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    /// Every CPU permit of the process.
    all: Arc<Semaphore>,
    /// The job slots: a job holds one of these besides its CPU permit.
    jobs: Arc<Semaphore>,
    slots: usize,
    job_slots: usize,
    short_running: AtomicUsize,
    short_peak: AtomicUsize,
}

/// What a job holds for its whole run: its job slot and its CPU permit.
#[derive(Debug)]
pub struct JobPermit {
    _slot: OwnedSemaphorePermit,
    _cpu: OwnedSemaphorePermit,
}

/// Why a piece of short work did not return.
#[derive(Debug, thiserror::Error)]
pub enum CpuError {
    /// The limiter was closed (the process is stopping).
    #[error("the CPU limiter is closed")]
    Closed,
    /// The work panicked on its blocking thread.
    #[error("CPU work panicked: {0}")]
    Panicked(#[from] tokio::task::JoinError),
}

/// Short work now and at most at once since start, as `/metrics` shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortWork {
    /// Pieces of short work running now.
    pub running: usize,
    /// The most that ever ran at once in this process.
    pub peak: usize,
}

impl CpuLimiter {
    /// A limiter of `slots` CPU permits of which jobs may hold at most `job_slots`; `slots`
    /// is raised to `job_slots + 1` when lower, so short work always has one of its own.
    pub fn new(slots: usize, job_slots: usize) -> Self {
        let slots = slots.max(job_slots + 1);
        Self {
            inner: Arc::new(Inner {
                all: Arc::new(Semaphore::new(slots)),
                jobs: Arc::new(Semaphore::new(job_slots)),
                slots,
                job_slots,
                short_running: AtomicUsize::new(0),
                short_peak: AtomicUsize::new(0),
            }),
        }
    }

    /// Waits for a free job slot and then a CPU permit; `None` once the limiter is closed.
    /// A job waits for a CPU permit only while short work holds every other one.
    pub async fn job_permit(&self) -> Option<JobPermit> {
        let slot = self.inner.jobs.clone().acquire_owned().await.ok()?;
        let cpu = self.inner.all.clone().acquire_owned().await.ok()?;
        Some(JobPermit {
            _slot: slot,
            _cpu: cpu,
        })
    }

    /// Job slots busy and job slots in all.
    pub fn job_slots(&self) -> (usize, usize) {
        let free = self.inner.jobs.available_permits();
        (
            self.inner.job_slots.saturating_sub(free),
            self.inner.job_slots,
        )
    }

    /// CPU permits in all (jobs and short work).
    pub fn slots(&self) -> usize {
        self.inner.slots
    }

    /// Runs `work` on the blocking pool holding a CPU permit for its whole run. Meant for
    /// work of milliseconds: it may take the permits jobs can never hold.
    pub async fn run_short<T, F>(&self, work: F) -> Result<T, CpuError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let permit = self
            .inner
            .all
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| CpuError::Closed)?;
        let _counted = ShortCount::start(&self.inner);
        let result = tokio::task::spawn_blocking(work).await;
        drop(permit);
        Ok(result?)
    }

    /// Short work running now and the most that ran at once.
    pub fn short_work(&self) -> ShortWork {
        ShortWork {
            running: self.inner.short_running.load(Ordering::SeqCst),
            peak: self.inner.short_peak.load(Ordering::SeqCst),
        }
    }

    /// Refuses every permit from now on (running work keeps its own); waiting jobs get `None`.
    pub fn close(&self) {
        self.inner.jobs.close();
        self.inner.all.close();
    }
}

/// Counts one piece of short work while it lives (also when its future is dropped).
struct ShortCount<'a>(&'a Inner);

impl<'a> ShortCount<'a> {
    fn start(inner: &'a Inner) -> Self {
        let now = inner.short_running.fetch_add(1, Ordering::SeqCst) + 1;
        inner.short_peak.fetch_max(now, Ordering::SeqCst);
        Self(inner)
    }
}

impl Drop for ShortCount<'_> {
    fn drop(&mut self) {
        self.0.short_running.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn short_work_runs_while_every_job_slot_is_busy() {
        let cpu = CpuLimiter::new(2, 2);
        assert_eq!(cpu.slots(), 3, "one permit beyond the job slots");
        let _a = cpu.job_permit().await.unwrap();
        let _b = cpu.job_permit().await.unwrap();
        assert_eq!(cpu.job_slots(), (2, 2));
        let answer = tokio::time::timeout(Duration::from_secs(5), cpu.run_short(|| 42))
            .await
            .expect("short work does not wait for jobs")
            .unwrap();
        assert_eq!(answer, 42);
        assert_eq!(
            cpu.short_work(),
            ShortWork {
                running: 0,
                peak: 1
            }
        );
    }

    #[tokio::test]
    async fn a_third_job_waits_for_a_slot() {
        let cpu = CpuLimiter::new(8, 2);
        let _a = cpu.job_permit().await.unwrap();
        let b = cpu.job_permit().await.unwrap();
        let waiting = cpu.job_permit();
        tokio::pin!(waiting);
        assert!(futures::poll!(waiting.as_mut()).is_pending());
        drop(b);
        assert!(waiting.await.is_some());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn short_work_takes_idle_job_slots_but_never_more_than_the_permits() {
        let cpu = CpuLimiter::new(3, 1);
        let _job = cpu.job_permit().await.unwrap();
        let runs: Vec<_> = (0..6)
            .map(|_| {
                let cpu = cpu.clone();
                let nap = || std::thread::sleep(Duration::from_millis(30));
                tokio::spawn(async move { cpu.run_short(nap).await })
            })
            .collect();
        for run in runs {
            run.await.unwrap().unwrap();
        }
        let seen = cpu.short_work();
        assert_eq!(seen.running, 0);
        assert!((1..=2).contains(&seen.peak), "{seen:?}");
    }
}
