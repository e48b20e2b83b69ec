//! People found in one segment of a video, grouped with the other segments'.

use super::grouping::{group, ClosedTrack};
use crate::{PeopleSettings, Person, TimedBox};

/// The finished tracks of one segment, before grouping, and the timestamps
/// of the frames it followed. Serialisable, so a segment scanned by one
/// process can be grouped by another.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PeoplePart {
    pub(crate) frame_ts: Vec<f64>,
    pub(crate) tracks: Vec<ClosedTrack>,
    /// Every face detected in the frames followed, in time order (empty in parts stored
    /// before boxes were kept).
    #[serde(default)]
    pub(crate) boxes: Vec<TimedBox>,
}

impl PeoplePart {
    /// Tracks in this part.
    pub fn track_count(&self) -> usize {
        self.tracks.len()
    }

    /// Every face detected in the frames this part followed, in time order. The parts of
    /// one video's segments follow disjoint frames, so together they hold each detection
    /// once.
    pub fn boxes(&self) -> &[TimedBox] {
        &self.boxes
    }
}

/// Groups the parts of one video's segments (in segment order) into people,
/// as [`PeopleTracker::finish`](crate::PeopleTracker::finish) does for one
/// pass: the parts' frames are put on one timeline, then all their tracks
/// are grouped together.
pub fn group_parts(parts: &[PeoplePart], settings: &PeopleSettings) -> Vec<Person> {
    let mut frame_ts = Vec::with_capacity(parts.iter().map(|p| p.frame_ts.len()).sum());
    let mut tracks = Vec::with_capacity(parts.iter().map(|p| p.tracks.len()).sum());
    for part in parts {
        let offset = frame_ts.len();
        frame_ts.extend_from_slice(&part.frame_ts);
        tracks.extend(part.tracks.iter().cloned().map(|mut t| {
            t.frames.iter_mut().for_each(|f| *f += offset);
            t
        }));
    }
    group(&tracks, settings, &frame_ts)
}
