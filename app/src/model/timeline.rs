//! What a video's page draws instead of numbers: faces per second over the video, a lane per
//! person, and the face boxes of the frames around the playing position.

use super::Episode;
use serde::{Deserialize, Serialize};

/// Buckets in a video's sparkline ([`Video::sparkline`](super::Video::sparkline)).
pub const SPARKLINE_BUCKETS: usize = 48;

/// Longest window of face boxes one request returns, in seconds.
pub const MAX_BOX_WINDOW_S: f64 = 120.0;

/// Faces per second over a video and the people seen in it (`GET /api/videos/{id}/timeline`).
/// While the video is processed, `faces_per_second` grows as its frames are scanned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VideoTimeline {
    /// The video's id.
    pub video_id: String,
    /// The video's length in seconds, when known.
    pub duration_s: Option<f64>,
    /// Faces detected in the frames of each second: entry `i` covers `[i, i + 1)` seconds.
    /// Its sum is the video's `faces_total` (over the frames scanned so far).
    pub faces_per_second: Vec<u32>,
    /// The people found in the video (empty until its processing ends), in order of their
    /// first appearance, with what their face boxes are labelled with.
    pub people: Vec<TimelinePerson>,
}

/// One person's lane on a video's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelinePerson {
    /// The person's number in this video, as face boxes refer to it (`FaceBox::person`).
    pub ordinal: u32,
    /// The person's id (`/api/people/{id}`).
    pub person_id: String,
    /// The profile the person belongs to, if any.
    pub profile_id: Option<String>,
    /// That profile's full name, if someone gave one.
    pub full_name: Option<String>,
    /// URL of the person's head crop (JPEG).
    pub crop_url: String,
    /// When the person is on screen, in order.
    pub episodes: Vec<Episode>,
}

/// The face boxes of a video's frames in a time window (`GET /api/videos/{id}/boxes`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FaceBoxes {
    /// Frame width in pixels (the boxes' coordinate space).
    pub width: u32,
    /// Frame height in pixels.
    pub height: u32,
    /// Start of the window, seconds.
    pub from_s: f64,
    /// End of the window (exclusive), seconds.
    pub to_s: f64,
    /// The frames with at least one face in the window, in time order; a frame not listed
    /// has no face.
    pub frames: Vec<BoxFrame>,
}

/// The faces of one frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BoxFrame {
    /// The frame's timestamp, seconds (millisecond precision).
    pub t_s: f64,
    /// Its faces.
    pub boxes: Vec<FaceBox>,
}

/// One detected face, in frame pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FaceBox {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
    /// The person this face belongs to (`TimelinePerson::ordinal`); null for a face that
    /// is no person's (too small, too briefly seen).
    pub person: Option<u32>,
}

/// Sums per-second counts into `buckets` equal stretches of `length_s` seconds (at least
/// as long as the counts): what a sparkline draws.
pub fn bucket_counts(per_second: &[u32], length_s: Option<f64>, buckets: usize) -> Vec<u32> {
    if per_second.is_empty() || buckets == 0 {
        return Vec::new();
    }
    let length = length_s
        .filter(|l| l.is_finite() && *l > 0.0)
        .unwrap_or(0.0)
        .max(per_second.len() as f64);
    let mut out = vec![0u32; buckets];
    for (second, count) in per_second.iter().enumerate() {
        let at = ((second as f64 / length) * buckets as f64) as usize;
        let slot = &mut out[at.min(buckets - 1)];
        *slot = slot.saturating_add(*count);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_keep_the_sum_and_the_place() {
        let counts: Vec<u32> = (0..100).map(|i| if i < 10 { 5 } else { 0 }).collect();
        let b = bucket_counts(&counts, Some(100.0), 10);
        assert_eq!(b.len(), 10);
        assert_eq!(b.iter().sum::<u32>(), 50);
        assert_eq!(b[0], 50);
        // Half of a 200 s video scanned: the counts fill the left half only.
        let b = bucket_counts(&[1; 100], Some(200.0), 4);
        assert_eq!(b, vec![50, 50, 0, 0]);
        // A length shorter than the counts (a lying header) is stretched.
        assert_eq!(bucket_counts(&[1; 10], Some(2.0), 2), vec![5, 5]);
        assert!(bucket_counts(&[], Some(10.0), 4).is_empty());
    }
}
