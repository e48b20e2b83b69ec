//! What a video's page draws: faces per second over the video (stored with every progress
//! store, so the chart grows while the video is processed), a lane per person, and the face
//! boxes of every frame (one compact object in storage per video, written when its
//! processing ends; see [`boxes`]).

pub mod boxes;
mod service;

pub use service::TimelineService;

use crate::storage::Storage;
use app::model::{bucket_counts, SPARKLINE_BUCKETS};
use vision::{Person, TimedBox};

/// A video's faces per second as a job stores it, with the sparkline listings read.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityUpdate {
    /// Entry `i`: faces in the frames of second `i`.
    pub per_second: Vec<u32>,
    /// The same in [`SPARKLINE_BUCKETS`] stretches of the video's length.
    pub sparkline: Vec<u32>,
}

impl ActivityUpdate {
    /// From per-second counts of a video `duration_s` long (when known).
    pub fn new(per_second: Vec<u32>, duration_s: Option<f64>) -> Self {
        let sparkline = bucket_counts(&per_second, duration_s, SPARKLINE_BUCKETS);
        Self {
            per_second,
            sparkline,
        }
    }

    /// Both as the JSON stored in `videos.activity` and `videos.sparkline`.
    pub fn to_json(&self) -> (String, String) {
        let json = |counts: &[u32]| serde_json::to_string(counts).unwrap_or_else(|_| "[]".into());
        (json(&self.per_second), json(&self.sparkline))
    }
}

/// Where a video's face boxes are stored: under the video's prefix, so deleting the video
/// deletes them.
pub fn boxes_key(video_id: &str) -> String {
    format!("{}/boxes.bin", Storage::video_prefix(video_id))
}

/// Stores every face box of a finished video (`all`, in time order), labelled with the
/// ordinals of `people` (as stored in `video_people`); returns the bytes written.
pub async fn store_boxes(
    storage: &Storage,
    video_id: &str,
    all: &[TimedBox],
    people: &[Person],
) -> Result<usize, crate::storage::StorageError> {
    let bytes = boxes::encode(all, people);
    let size = bytes.len();
    storage.put(&boxes_key(video_id), bytes).await?;
    Ok(size)
}
