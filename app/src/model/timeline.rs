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
/// as long as the counts): what a sparkline draws. A second spread over several buckets (a
/// video shorter than `buckets` seconds, or a second across a bucket boundary) shares its
/// count among them by overlap, in whole faces that add up to its count: otherwise a short
/// video's buckets that no second starts in would read 0 between its faces.
pub fn bucket_counts(per_second: &[u32], length_s: Option<f64>, buckets: usize) -> Vec<u32> {
    if per_second.is_empty() || buckets == 0 {
        return Vec::new();
    }
    let length = length_s
        .filter(|l| l.is_finite() && *l > 0.0)
        .unwrap_or(0.0)
        .max(per_second.len() as f64);
    let scale = buckets as f64 / length;
    let mut out = vec![0u32; buckets];
    for (second, count) in per_second.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        // The second covers [from, to) in bucket units; the share given up to a point x is
        // round(count · (x − from) / (to − from)), so the shares add up to `count`.
        let (from, to) = (second as f64 * scale, (second + 1) as f64 * scale);
        let given = |x: f64| (*count as f64 * ((x - from) / (to - from)).clamp(0.0, 1.0)).round();
        let first = (from.floor() as usize).min(buckets - 1);
        let last = ((to.ceil() as usize).max(first + 1)).min(buckets);
        for (at, slot) in out.iter_mut().enumerate().take(last).skip(first) {
            let share = given((at + 1) as f64) - given(at as f64);
            *slot = slot.saturating_add(share as u32);
        }
        // Rounding at the right edge (a second ending past the last bucket) is kept.
        let placed = given(last as f64) - given(first as f64);
        if placed < *count as f64 {
            out[last - 1] = out[last - 1].saturating_add(*count - placed as u32);
        }
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

    #[test]
    fn short_videos_spread_each_second_over_its_buckets() {
        // 10 s over 48 buckets: no bucket is left at 0 between seconds with faces.
        let b = bucket_counts(&[100; 10], Some(10.0), 48);
        assert_eq!(b.iter().sum::<u32>(), 1000);
        assert!(b.iter().all(|n| (19..=22).contains(n)), "{b:?}");
        // A second across a boundary is shared by overlap.
        assert_eq!(bucket_counts(&[0, 10, 0], Some(3.0), 2), vec![5, 5]);
        assert_eq!(bucket_counts(&[7], Some(1.0), 3).iter().sum::<u32>(), 7);
        // A 9.6 s video with 10 seconds counted is stretched to 10 s; nothing is lost.
        let b = bucket_counts(&[3; 10], Some(9.6), 48);
        assert_eq!(b.iter().sum::<u32>(), 30);
    }
}
