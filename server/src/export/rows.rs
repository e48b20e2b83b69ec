//! The rows of the three exports, as read from the database and as written: the same field
//! names (snake_case) in the CSV header and in the JSON objects.

use app::model::{Appearance, DbFlag};
use serde::Serialize;

/// One cell of a CSV row, typed so only text is guarded against formula injection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// Free text (names, file names, messages); `None` is an empty cell.
    Text(Option<&'a str>),
    /// A whole number we wrote ourselves (may be negative).
    Int(Option<i64>),
    /// A measurement; non-finite values are written as an empty cell (JSON `null`).
    Float(Option<f64>),
    /// `true` or `false`.
    Flag(bool),
}

/// A row of an export: its column names (also its JSON field names, in the same order) and
/// its cells.
pub trait Record: Serialize + Send + 'static {
    /// Column names, in order.
    const COLUMNS: &'static [&'static str];
    /// The cells, one per column.
    fn cells(&self) -> Vec<Cell<'_>>;
}

/// A video with its counts (`GET /api/export/videos.*`).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VideoRecord {
    pub id: String,
    pub filename: String,
    /// `queued`, `processing`, `paused`, `done`, `failed` or `cancelled`.
    pub status: String,
    /// RFC 3339 UTC time of upload.
    pub uploaded_at: String,
    /// RFC 3339 UTC time the video ended (`done`, `failed`, `cancelled`); null otherwise.
    pub finished_at: Option<String>,
    pub duration_s: Option<f64>,
    pub fps: Option<f64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    /// Frames in the video (the container's claim until done, then the real count).
    pub frames_total: Option<i64>,
    pub frames_processed: i64,
    /// Detections summed over all frames.
    pub faces_total: i64,
    pub max_faces_in_frame: i64,
    pub frames_with_faces: i64,
    /// Distinct people found; null until known.
    pub people_count: Option<i64>,
    /// Frames processed per second of wall-clock time.
    pub processing_fps: Option<f64>,
    pub size_bytes: i64,
    /// Why processing failed.
    pub error: Option<String>,
}

impl Record for VideoRecord {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "filename",
        "status",
        "uploaded_at",
        "finished_at",
        "duration_s",
        "fps",
        "width",
        "height",
        "frames_total",
        "frames_processed",
        "faces_total",
        "max_faces_in_frame",
        "frames_with_faces",
        "people_count",
        "processing_fps",
        "size_bytes",
        "error",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        use Cell::{Float, Int, Text};
        vec![
            Text(Some(&self.id)),
            Text(Some(&self.filename)),
            Text(Some(&self.status)),
            Text(Some(&self.uploaded_at)),
            Text(self.finished_at.as_deref()),
            Float(self.duration_s),
            Float(self.fps),
            Int(self.width),
            Int(self.height),
            Int(self.frames_total),
            Int(Some(self.frames_processed)),
            Int(Some(self.faces_total)),
            Int(Some(self.max_faces_in_frame)),
            Int(Some(self.frames_with_faces)),
            Int(self.people_count),
            Float(self.processing_fps),
            Int(Some(self.size_bytes)),
            Text(self.error.as_deref()),
        ]
    }
}

/// A profile with the videos it appears in (`GET /api/export/profiles.*`).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ProfileRecord {
    pub id: String,
    pub full_name: Option<String>,
    /// `male`, `female` or null.
    pub gender: Option<String>,
    /// `YYYY-MM-DD` or null.
    pub birth_date: Option<String>,
    /// Left out of the UI's listing unless asked for.
    #[sqlx(try_from = "DbFlag")]
    pub hidden: bool,
    /// Distinct videos the profile's people were found in.
    pub video_count: i64,
    /// Upload time of the first of those videos; null without any.
    pub first_seen: Option<String>,
    /// Upload time of the last of those videos; null without any.
    pub last_seen: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl Record for ProfileRecord {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "full_name",
        "gender",
        "birth_date",
        "hidden",
        "video_count",
        "first_seen",
        "last_seen",
        "created_at",
        "updated_at",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        use Cell::{Flag, Int, Text};
        vec![
            Text(Some(&self.id)),
            Text(self.full_name.as_deref()),
            Text(self.gender.as_deref()),
            Text(self.birth_date.as_deref()),
            Flag(self.hidden),
            Int(Some(self.video_count)),
            Text(self.first_seen.as_deref()),
            Text(self.last_seen.as_deref()),
            Text(Some(&self.created_at)),
            Text(Some(&self.updated_at)),
        ]
    }
}

/// A person of a video as stored: its episodes are a JSON list in `appearances`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub person_id: String,
    pub profile_id: Option<String>,
    pub video_id: String,
    pub filename: String,
    pub ordinal: i64,
    pub appearances: String,
}

impl PersonRow {
    /// One record per episode, in time order.
    pub fn episodes(self) -> impl Iterator<Item = EpisodeRecord> {
        let appearances: Vec<Appearance> =
            serde_json::from_str(&self.appearances).unwrap_or_default();
        appearances
            .into_iter()
            .enumerate()
            .map(move |(i, a)| EpisodeRecord {
                person_id: self.person_id.clone(),
                profile_id: self.profile_id.clone(),
                video_id: self.video_id.clone(),
                filename: self.filename.clone(),
                episode: i as i64 + 1,
                start_s: a.start_s,
                end_s: a.end_s,
            })
    }
}

/// One stretch of a video in which a person is seen (`GET /api/export/appearances.*`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EpisodeRecord {
    /// The person of the video (one per video).
    pub person_id: String,
    /// The profile the person belongs to; null when unassigned.
    pub profile_id: Option<String>,
    pub video_id: String,
    pub filename: String,
    /// 1-based number of the episode within the person's episodes in this video.
    pub episode: i64,
    /// Seconds from the beginning of the video.
    pub start_s: f64,
    /// Seconds from the beginning of the video.
    pub end_s: f64,
}

impl Record for EpisodeRecord {
    const COLUMNS: &'static [&'static str] = &[
        "person_id",
        "profile_id",
        "video_id",
        "filename",
        "episode",
        "start_s",
        "end_s",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        use Cell::{Float, Int, Text};
        vec![
            Text(Some(&self.person_id)),
            Text(self.profile_id.as_deref()),
            Text(Some(&self.video_id)),
            Text(Some(&self.filename)),
            Int(Some(self.episode)),
            Float(Some(self.start_s)),
            Float(Some(self.end_s)),
        ]
    }
}
