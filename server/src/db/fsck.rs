//! Queries of `facetally fsck`: what the database says is stored, which videos are held by
//! nobody, and the row-level repairs.

use super::videos::REQUEUE;
use super::{now_text, Db};
use crate::storage::Storage;
use sqlx::Row;

/// The error a video gets when its uploaded file is gone from storage.
pub const FILE_MISSING_ERROR: &str =
    "the uploaded file is missing from storage (found by facetally fsck); upload the video again";

/// A video row as far as storage is concerned.
#[derive(Debug, Clone)]
pub struct VideoFile {
    pub id: String,
    pub status: String,
    pub storage_key: String,
    pub error: Option<String>,
}

/// A `processing` video whose lease has run out (or was never set).
#[derive(Debug, Clone)]
pub struct StuckVideo {
    pub id: String,
    pub worker_id: Option<String>,
    pub lease_expires_at: Option<String>,
}

impl Db {
    /// Every video with its storage key.
    pub async fn video_files(&self) -> sqlx::Result<Vec<VideoFile>> {
        let rows = sqlx::query(
            "SELECT id, status, storage_key, error FROM videos ORDER BY created_at, id",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(VideoFile {
                    id: row.try_get("id")?,
                    status: row.try_get("status")?,
                    storage_key: row.try_get("storage_key")?,
                    error: row.try_get("error")?,
                })
            })
            .collect()
    }

    /// Storage keys of every face crop a row refers to (people of videos with their episode
    /// pictures, and profiles).
    pub async fn crop_keys(&self) -> sqlx::Result<Vec<String>> {
        let people = sqlx::query("SELECT crop_key, episode_thumbs FROM video_people")
            .fetch_all(self.pool())
            .await?;
        let mut keys = Vec::with_capacity(people.len());
        for row in &people {
            let crop_key: String = row.try_get("crop_key")?;
            let thumbs: i64 = row.try_get("episode_thumbs")?;
            for n in 0..usize::try_from(thumbs).unwrap_or(0) {
                keys.push(Storage::episode_thumb_key(&crop_key, n));
            }
            keys.push(crop_key);
        }
        let profiles: Vec<String> = sqlx::query_scalar("SELECT crop_key FROM profiles")
            .fetch_all(self.pool())
            .await?;
        keys.extend(profiles);
        Ok(keys)
    }

    /// Videos `processing` without a live lease: their worker died and nobody re-queued them.
    pub async fn stuck_videos(&self) -> sqlx::Result<Vec<StuckVideo>> {
        let rows = sqlx::query(
            "SELECT id, worker_id, lease_expires_at FROM videos \
             WHERE status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at < $1) ORDER BY created_at, id",
        )
        .bind(now_text())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StuckVideo {
                    id: row.try_get("id")?,
                    worker_id: row.try_get("worker_id")?,
                    lease_expires_at: row.try_get("lease_expires_at")?,
                })
            })
            .collect()
    }

    /// True when a video, a video's person (its crop or an episode picture) or a profile
    /// refers to `key`.
    pub async fn key_in_use(&self, key: &str) -> sqlx::Result<bool> {
        if let Some((crop_key, n)) = Storage::episode_of_thumb_key(key) {
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT CAST(1 AS BIGINT) FROM video_people WHERE crop_key = $1 AND episode_thumbs > $2",
            )
            .bind(crop_key)
            .bind(n as i64)
            .fetch_optional(self.pool())
            .await?;
            return Ok(found.is_some());
        }
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM videos WHERE storage_key = $1 UNION ALL SELECT 1 FROM video_people WHERE crop_key = $1 \
             UNION ALL SELECT 1 FROM profiles WHERE crop_key = $1 LIMIT 1",
        )
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// True when the database holds any video or profile (an empty one is a likely sign
    /// of a wrong `DATABASE_URL`, so fsck deletes no objects then).
    pub async fn has_records(&self) -> sqlx::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM videos UNION ALL SELECT 1 FROM profiles LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        Ok(found.is_some())
    }

    /// Re-queues a stuck video if it is still `processing` without a live lease; false when
    /// it changed meanwhile.
    pub async fn requeue_stuck(&self, id: &str) -> sqlx::Result<bool> {
        let sql = format!(
            "UPDATE videos SET {REQUEUE}, updated_at = $1 \
             WHERE id = $2 AND status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at < $1)"
        );
        let done = sqlx::query(&sql)
            .bind(now_text())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Marks a video whose file is gone `failed` with [`FILE_MISSING_ERROR`], keeping its
    /// counts; false when the row is gone.
    pub async fn mark_file_missing(&self, id: &str) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "UPDATE videos SET status = 'failed', error = $1, worker_id = NULL, lease_expires_at = NULL, updated_at = $2 \
             WHERE id = $3",
        )
        .bind(FILE_MISSING_ERROR)
        .bind(now_text())
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
