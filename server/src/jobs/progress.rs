//! What a job writes: its counts while it runs and its last write.

use app::model::VideoStatus;

/// Counts written while a job runs.
#[derive(Debug, Clone)]
pub struct ProgressUpdate {
    pub totals: vision::ScanTotals,
    pub progress: f64,
    pub processing_fps: f64,
    /// Distinct people so far (final once the job ends); `None` when not counted.
    pub people_count: Option<i64>,
    /// Faces per second so far; `None` keeps what is stored.
    pub activity: Option<crate::timeline::ActivityUpdate>,
}

/// The last write of a job.
#[derive(Debug, Clone)]
pub struct JobEnd {
    pub status: VideoStatus,
    pub progress: ProgressUpdate,
    pub error: Option<String>,
    /// Frames really decoded, replacing the container's claim once the whole video was read.
    pub frames_total: Option<i64>,
    /// Time segments the run was cut into (`None` when it did not get that far).
    pub segments: Option<i64>,
}
