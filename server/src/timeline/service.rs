//! Reading a video's timeline and the face boxes of a time window.

use super::{boxes, boxes_key};
use crate::db::Db;
use crate::error::ApiError;
use crate::profiles::episodes;
use crate::storage::Storage;
use anyhow::Context;
use app::model::{Appearance, FaceBoxes, TimelinePerson, VideoTimeline};

/// What the video page draws, read from the database and storage.
#[derive(Clone)]
pub struct TimelineService {
    db: Db,
    storage: Storage,
}

impl TimelineService {
    /// The service over `db` and `storage`.
    pub fn new(db: Db, storage: Storage) -> Self {
        Self { db, storage }
    }

    /// Faces per second of a video (as far as it is processed) and its people's lanes.
    pub async fn timeline(&self, video_id: &str) -> Result<VideoTimeline, ApiError> {
        let activity = self
            .db
            .video_activity(video_id)
            .await?
            .ok_or(ApiError::NotFound("video"))?;
        let people = self.db.timeline_people(video_id).await?;
        let people = people
            .into_iter()
            .map(|row| {
                let appearances: Vec<Appearance> =
                    serde_json::from_str(&row.appearances).unwrap_or_default();
                TimelinePerson {
                    ordinal: u32::try_from(row.ordinal).unwrap_or(u32::MAX),
                    episodes: episodes(&row.id, &appearances, row.episode_thumbs),
                    crop_url: format!("/api/people/{}/crop", row.id),
                    person_id: row.id,
                    profile_id: row.profile_id,
                    full_name: row.full_name,
                }
            })
            .collect();
        Ok(VideoTimeline {
            video_id: video_id.to_owned(),
            duration_s: activity.duration_s,
            faces_per_second: activity.per_second,
            people,
        })
    }

    /// The face boxes of a video's frames in `[from_s, to_s)`; 404 when the video has none
    /// stored (its processing has not ended, or it ended before boxes were kept).
    pub async fn boxes(
        &self,
        video_id: &str,
        from_s: f64,
        to_s: f64,
    ) -> Result<FaceBoxes, ApiError> {
        let video = self
            .db
            .video_activity(video_id)
            .await?
            .ok_or(ApiError::NotFound("video"))?;
        let bytes = self
            .storage
            .read(&boxes_key(video_id))
            .await
            .context("reading the face boxes")?
            .ok_or(ApiError::NotFound("face boxes of this video"))?;
        let frames = boxes::decode_window(&bytes, from_s, to_s).context("decoding face boxes")?;
        let side = |pixels: Option<i64>| pixels.and_then(|p| u32::try_from(p).ok()).unwrap_or(0);
        Ok(FaceBoxes {
            width: side(video.width),
            height: side(video.height),
            from_s,
            to_s,
            frames,
        })
    }
}
