//! Types of the archive search (`POST /api/search`) and of people found in videos.

use serde::{Deserialize, Serialize};

/// A face found in the query photo, in pixels of the photo.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PhotoFace {
    /// Left edge of the box.
    pub x: f32,
    /// Top edge of the box.
    pub y: f32,
    /// Box width.
    pub w: f32,
    /// Box height.
    pub h: f32,
    /// Detection confidence, 0..1.
    pub score: f32,
}

/// One stretch of a video in which a person is seen, with a picture of their best face in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Episode {
    /// Start, in seconds from the beginning of the video.
    pub start_s: f64,
    /// End, in seconds from the beginning of the video.
    pub end_s: f64,
    /// JPEG of the best face in this stretch; null for videos processed before episodes had
    /// pictures.
    pub thumb_url: Option<String>,
}

/// A person found in one video (with or without a profile).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VideoPerson {
    /// Stable id of this person in this video (UUID v7).
    pub id: String,
    /// The video it was found in.
    pub video_id: String,
    /// That video's file name.
    pub filename: String,
    /// That video's duration in seconds, when known (for drawing a timeline).
    pub duration_s: Option<f64>,
    /// URL of the person's best head crop (JPEG).
    pub crop_url: String,
    /// When the person is on screen, in order.
    pub episodes: Vec<Episode>,
    /// The profile this person belongs to, if any.
    pub profile_id: Option<String>,
}

/// The profile a match belongs to, in short.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProfileRef {
    /// The profile's id.
    pub id: String,
    /// Its full name, if someone gave one.
    pub full_name: Option<String>,
    /// URL of its face crop (JPEG).
    pub crop_url: String,
}

/// One person of the archive that looks like the query face.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchMatch {
    /// Cosine similarity of the embeddings, -1..1 (at least `min_similarity`).
    pub similarity: f32,
    /// The person, in the video it was found in.
    pub person: VideoPerson,
    /// The person's profile, or null when it has none (it can be made with `POST /api/profiles`).
    pub profile: Option<ProfileRef>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResult {
    /// Every face found in the photo, largest first (empty for a search by profile).
    pub faces_in_photo: Vec<PhotoFace>,
    /// Index into `faces_in_photo` of the face searched for (null for a search by profile).
    pub face: Option<usize>,
    /// The embedding model the query was made with; only people embedded by it are compared.
    pub model: String,
    /// Stored people left out because another model embedded them.
    pub skipped_other_model: i64,
    /// True when the face failed the quality gate and `force=true` searched anyway.
    pub low_quality: bool,
    /// The similarity threshold used (`min_similarity`, or the embedder's match threshold).
    pub min_similarity: f32,
    /// The embedder's own match threshold (the default `min_similarity`).
    pub match_threshold: f32,
    /// The matches, ordered as asked (`similarity`: best first; `time`: newest video first,
    /// then by time in the video).
    pub matches: Vec<SearchMatch>,
}

/// Order of the matches of a search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SearchOrder {
    /// Most similar first.
    #[default]
    Similarity,
    /// Newest video first, then by first appearance in the video.
    Time,
}

/// Body of `POST /api/profiles`: make a profile from a person found in a video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewProfile {
    /// The person (`VideoPerson.id`) to make the profile from.
    pub person_id: String,
}
