//! Types shared by the server (REST, database) and the UI (WASM).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a video is in its life: `queued → processing → done | failed | cancelled`; an
/// operator may pause a queued or processing video (`paused`) and resume it (`queued`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum VideoStatus {
    /// Uploaded, waiting for a free worker.
    Queued,
    /// A worker is decoding frames and detecting faces.
    Processing,
    /// Every decodable frame was processed.
    Done,
    /// The video could not be processed; `error` says why.
    Failed,
    /// Stopped by the user; counts are partial.
    Cancelled,
    /// Put aside by the user: holds no job slot; the counts of its finished segments are
    /// kept and a resume continues from its first unfinished segment.
    Paused,
}

impl VideoStatus {
    /// The lowercase name used in JSON and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Paused => "paused",
        }
    }

    /// True when the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Cancelled)
    }
}

impl std::fmt::Display for VideoStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status name that is not one of the six known ones.
#[derive(Debug, thiserror::Error)]
#[error("unknown video status {0:?}")]
pub struct UnknownStatus(pub String);

impl TryFrom<String> for VideoStatus {
    type Error = UnknownStatus;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Ok(match value.as_str() {
            "queued" => Self::Queued,
            "processing" => Self::Processing,
            "done" => Self::Done,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            "paused" => Self::Paused,
            _ => return Err(UnknownStatus(value)),
        })
    }
}

/// One uploaded video and what face detection found in it so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Video {
    /// Stable id (UUID v7, time ordered).
    pub id: String,
    /// The file name as uploaded (sanitised for display).
    pub filename: String,
    /// Job state.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub status: VideoStatus,
    /// 0–100; never goes backwards within a run (a re-queue starts again at 0); exactly 100
    /// when `done`.
    pub progress: f64,
    /// Frames decoded and run through the detector.
    pub frames_processed: i64,
    /// Frame count from the container while processing (may be wrong); the real count once done.
    pub frames_total: Option<i64>,
    /// Sum over processed frames of the faces detected in each frame.
    pub faces_total: i64,
    /// Largest number of faces in any one frame.
    pub max_faces_in_frame: i64,
    /// Frames with at least one face.
    pub frames_with_faces: i64,
    /// Frame rate declared by the container.
    pub fps: Option<f64>,
    /// Frame width in pixels.
    pub width: Option<i64>,
    /// Frame height in pixels.
    pub height: Option<i64>,
    /// Duration in seconds.
    pub duration_s: Option<f64>,
    /// Processing speed: frames per second of wall-clock time.
    pub processing_fps: Option<f64>,
    /// Distinct people found: null until known; an intermediate value while processing.
    pub people_count: Option<i64>,
    /// Time segments the last run was cut into, each taken by any free job slot (1: one
    /// pass); null until the run ends.
    #[serde(default)]
    pub segments: Option<i64>,
    /// Whether distinct people of this video should become profiles.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "DbFlag"))]
    pub create_profiles: bool,
    /// Why processing failed, readable by a person.
    pub error: Option<String>,
    /// Faces over the video's length in 48 equal stretches (empty until a frame is
    /// scanned), for a sparkline in listings; it fills from the left while processing.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(try_from = "DbCounts"))]
    pub sparkline: Vec<u32>,
    /// RFC 3339 UTC time of upload.
    pub created_at: String,
    /// RFC 3339 UTC time of the last change.
    pub updated_at: String,
}

/// A boolean stored as integer 0/1, the one representation that reads the same from
/// SQLite and PostgreSQL through sqlx's `Any` driver.
#[cfg(feature = "ssr")]
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct DbFlag(i64);

#[cfg(feature = "ssr")]
impl From<DbFlag> for bool {
    fn from(flag: DbFlag) -> Self {
        flag.0 != 0
    }
}

/// Counts stored as a JSON array in a text column (null: none).
#[cfg(feature = "ssr")]
#[derive(sqlx::Type)]
#[sqlx(transparent)]
pub struct DbCounts(Option<String>);

#[cfg(feature = "ssr")]
impl From<DbCounts> for Vec<u32> {
    fn from(counts: DbCounts) -> Self {
        counts
            .0
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }
}

/// A stretch of a video in which a person is seen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Appearance {
    /// Start, in seconds from the beginning of the video.
    pub start_s: f64,
    /// End, in seconds from the beginning of the video.
    pub end_s: f64,
}

/// A video in which a profile's person appears.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProfileVideo {
    /// The video's id.
    pub video_id: String,
    /// The video's file name.
    pub filename: String,
    /// The video's page in the UI, opening at the first appearance (`/videos/{id}?t=12.5`).
    pub url: String,
    /// Where the person is seen in it.
    pub appearances: Vec<Appearance>,
    /// The video's duration in seconds, when known (for drawing a timeline).
    #[serde(default)]
    pub duration_s: Option<f64>,
    /// The same stretches as `appearances`, each with a picture of the best face in it.
    #[serde(default)]
    pub episodes: Vec<Episode>,
}

/// A person turned into an editable profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Profile {
    /// Stable id (UUID v7).
    pub id: String,
    /// `Surname Given [Patronymic]`, or null until someone names the person.
    pub full_name: Option<String>,
    /// `male`, `female` or null.
    pub gender: Option<crate::validate::Gender>,
    /// `YYYY-MM-DD` or null.
    pub birth_date: Option<String>,
    /// URL of the face crop (JPEG).
    pub crop_url: String,
    /// Videos in which this person appears, oldest first.
    pub videos: Vec<ProfileVideo>,
    /// Left out of listings unless asked for; still matches new faces.
    #[serde(default)]
    pub hidden: bool,
    /// On the watch list: a new video holding this person raises an alert.
    #[serde(default)]
    pub watch: bool,
    /// RFC 3339 UTC creation time.
    pub created_at: String,
    /// RFC 3339 UTC time of the last change.
    pub updated_at: String,
}

/// One page of profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProfilePage {
    /// The profiles of this page, newest first.
    pub items: Vec<Profile>,
    /// How many profiles match in all.
    pub total: i64,
    /// True when `total` is the database's estimate rather than a count: a name search
    /// that matches more than 1 000 profiles on PostgreSQL (counting them exactly would cost
    /// more than the page). Exact otherwise.
    #[serde(default)]
    pub total_is_estimate: bool,
}

/// Body of every error response: a message and, for bad input, one message per field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What went wrong, for a person.
    pub error: String,
    /// Field name → what is wrong with it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

/// Name of the server-sent event that carries a changed [`Video`].
pub const VIDEO_EVENT: &str = "video";
/// Name of the server-sent event that carries the id of a deleted video.
pub const VIDEO_DELETED_EVENT: &str = "video_deleted";

/// SSE event name sent when the stream had to drop events for a slow client: the page
/// reloads the whole list, which is newer than anything it missed.
pub const RESYNC_EVENT: &str = "resync";

mod alerts;
mod corrections;
mod search;
mod timeline;
pub use alerts::*;
pub use corrections::*;
pub use search::*;
pub use timeline::*;
