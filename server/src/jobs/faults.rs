//! Faults a test injects into the jobs of given videos, to prove that every way out of a job
//! ends in a definite state (a database error, a failed final write, a panic, a cancel while
//! people are stored). Only tests set them: no flag or environment variable does, and an
//! empty plan costs one map lookup per job step.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// One fault in the job of one video.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// The scan panics once this many frames are processed.
    PanicAfterFrames(i64),
    /// Reading the video's storage key fails this many times (a database error).
    StorageKeyReadFails(u32),
    /// The job's final write fails this many times (a database error).
    FinalWriteFails(u32),
    /// The job waits this long between the end of its scan and storing its people.
    WaitBeforePeople(Duration),
}

/// The faults of a process's jobs, by video id. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<Plan>>);

#[derive(Debug, Default)]
struct Plan {
    faults: HashMap<String, Fault>,
    /// Videos whose job is in its [`Fault::WaitBeforePeople`] now.
    waiting: HashSet<String>,
}

impl Faults {
    /// Puts `fault` into the job of video `id` (one fault per video).
    pub fn inject(&self, id: &str, fault: Fault) {
        self.lock().faults.insert(id.to_owned(), fault);
    }

    /// Whether the job of video `id` is waiting before storing its people now.
    pub fn is_waiting(&self, id: &str) -> bool {
        self.lock().waiting.contains(id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Plan> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Frames after which the scan of video `id` panics.
    pub(super) fn panic_after(&self, id: &str) -> Option<i64> {
        match self.lock().faults.get(id) {
            Some(Fault::PanicAfterFrames(n)) => Some(*n),
            _ => None,
        }
    }

    /// Waits as long as video `id`'s fault says before its people are stored.
    pub(super) async fn wait_before_people(&self, id: &str) {
        let wait = match self.lock().faults.get(id) {
            Some(Fault::WaitBeforePeople(wait)) => *wait,
            _ => return,
        };
        self.lock().waiting.insert(id.to_owned());
        tokio::time::sleep(wait).await;
        self.lock().waiting.remove(id);
    }

    /// Whether this read of video `id`'s storage key fails (counting it down).
    pub(super) fn storage_key_read_fails(&self, id: &str) -> bool {
        self.count_down(id, |f| match f {
            Fault::StorageKeyReadFails(n) => Some(n),
            _ => None,
        })
    }

    /// Whether this final write of video `id` fails (counting it down).
    pub(super) fn final_write_fails(&self, id: &str) -> bool {
        self.count_down(id, |f| match f {
            Fault::FinalWriteFails(n) => Some(n),
            _ => None,
        })
    }

    fn count_down(&self, id: &str, left: impl Fn(&mut Fault) -> Option<&mut u32>) -> bool {
        let mut plan = self.lock();
        match plan.faults.get_mut(id).and_then(left) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// The error an injected database failure reads as.
    pub(super) fn database_error() -> sqlx::Error {
        sqlx::Error::Protocol("injected fault".into())
    }
}
