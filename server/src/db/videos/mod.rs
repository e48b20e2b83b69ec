//! Queries on the `videos` table.

mod queue;

pub(crate) use queue::REQUEUE;

use super::{later_text, now_text, Db, Dialect};
use crate::jobs::{ClaimedVideo, JobEnd, Lease, ProgressUpdate};
use app::model::Video;
use sqlx::Row;

/// Columns of [`Video`], in `SELECT` and `RETURNING` lists.
const COLUMNS: &str =
    "id, filename, status, progress, frames_processed, frames_total, faces_total, \
    max_faces_in_frame, frames_with_faces, fps, width, height, duration_s, processing_fps, \
    people_count, segments, create_profiles, error, sparkline, created_at, updated_at";

/// A video about to be stored, with what probing its file found.
#[derive(Debug, Clone)]
pub struct NewVideo {
    pub id: String,
    pub filename: String,
    pub storage_key: String,
    pub size_bytes: i64,
    pub create_profiles: bool,
    pub info: vision::VideoInfo,
}

impl Db {
    /// Inserts a queued video and returns it.
    pub async fn insert_video(&self, new: &NewVideo) -> sqlx::Result<Video> {
        let now = now_text();
        let sql = format!(
            "INSERT INTO videos (id, filename, status, frames_total, fps, width, height, duration_s, \
             create_profiles, storage_key, size_bytes, created_at, updated_at) \
             VALUES ($1, $2, 'queued', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {COLUMNS}"
        );
        sqlx::query_as(&sql)
            .bind(&new.id)
            .bind(&new.filename)
            .bind(new.info.frame_count)
            .bind(new.info.fps)
            .bind(i64::from(new.info.width))
            .bind(i64::from(new.info.height))
            .bind(new.info.duration_s)
            .bind(i64::from(new.create_profiles))
            .bind(&new.storage_key)
            .bind(new.size_bytes)
            .bind(&now)
            .bind(&now)
            .fetch_one(self.pool())
            .await
    }

    /// Every video, newest first.
    pub async fn list_videos(&self) -> sqlx::Result<Vec<Video>> {
        let sql = format!("SELECT {COLUMNS} FROM videos ORDER BY created_at DESC, id DESC");
        sqlx::query_as(&sql).fetch_all(self.pool()).await
    }

    /// How many videos are in each status (statuses without any are left out).
    pub async fn count_videos_by_status(&self) -> sqlx::Result<Vec<(String, i64)>> {
        sqlx::query_as("SELECT status, COUNT(*) FROM videos GROUP BY status")
            .fetch_all(self.pool())
            .await
    }

    /// One video by id.
    pub async fn get_video(&self, id: &str) -> sqlx::Result<Option<Video>> {
        let sql = format!("SELECT {COLUMNS} FROM videos WHERE id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    /// Where the video's file is stored.
    pub async fn video_storage_key(&self, id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query("SELECT storage_key FROM videos WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|row| row.try_get("storage_key"))
            .transpose()
    }

    /// Atomically moves the oldest queued video to `processing` under a new claim of
    /// `lease`'s process and returns it with the claim.
    pub async fn claim_next_video(
        &self,
        lease: &Lease,
    ) -> sqlx::Result<Option<(Video, ClaimedVideo)>> {
        let pick = match self.dialect() {
            Dialect::Sqlite => {
                "SELECT id FROM videos WHERE status = 'queued' ORDER BY created_at, id LIMIT 1"
            }
            Dialect::Postgres => {
                "SELECT id FROM videos WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 \
                 FOR UPDATE SKIP LOCKED"
            }
        };
        let sql = format!(
            "UPDATE videos SET status = 'processing', updated_at = $1, worker_id = $2, \
             lease_expires_at = $3, attempts = attempts + 1, claim = $4 \
             WHERE id = ({pick}) AND status = 'queued' RETURNING {COLUMNS}"
        );
        let claim = uuid::Uuid::now_v7().simple().to_string();
        let video: Option<Video> = sqlx::query_as(&sql)
            .bind(now_text())
            .bind(&lease.worker_id)
            .bind(later_text(lease.duration))
            .bind(&claim)
            .fetch_optional(self.pool())
            .await?;
        Ok(video.map(|video| {
            let held = ClaimedVideo {
                video_id: video.id.clone(),
                worker_id: lease.worker_id.clone(),
                claim,
                duration: lease.duration,
                claimed_at: std::time::Instant::now(),
            };
            (video, held)
        }))
    }

    /// Stores a running job's counts and renews its lease; returns the video as it is now
    /// (its status may have been set to `cancelled` by someone else), or `None` if it was
    /// deleted, paused, or its claim was lost.
    pub async fn update_progress(
        &self,
        held: &ClaimedVideo,
        p: &ProgressUpdate,
    ) -> sqlx::Result<Option<Video>> {
        let sql = format!(
            "UPDATE videos SET frames_processed = $2, faces_total = $3, max_faces_in_frame = $4, \
             frames_with_faces = $5, progress = $6, processing_fps = $7, people_count = $8, \
             activity = COALESCE($9, activity), sparkline = COALESCE($10, sparkline), \
             updated_at = $11, lease_expires_at = $12 WHERE id = $1 AND claim = $13 RETURNING {COLUMNS}"
        );
        bind_progress(sqlx::query_as(&sql).bind(&held.video_id), p)
            .bind(now_text())
            .bind(later_text(held.duration))
            .bind(&held.claim)
            .fetch_optional(self.pool())
            .await
    }

    /// Extends a claim's lease on a video it still holds; false when it no longer does
    /// (finished, deleted, paused, or re-queued and claimed again).
    pub async fn renew_lease(&self, held: &ClaimedVideo) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "UPDATE videos SET lease_expires_at = $2 \
             WHERE id = $1 AND claim = $3 AND status IN ('processing', 'cancelled') AND lease_expires_at IS NOT NULL",
        )
        .bind(&held.video_id)
        .bind(later_text(held.duration))
        .bind(&held.claim)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Writes a job's final counts and status if its claim still holds the video (a job
    /// taken over after a lost lease is finished by one run only). A video cancelled
    /// meanwhile stays `cancelled`.
    pub async fn finish_video(
        &self,
        held: &ClaimedVideo,
        end: &JobEnd,
    ) -> sqlx::Result<Option<Video>> {
        let id = held.video_id.as_str();
        let sql = format!(
            "UPDATE videos SET frames_processed = $2, faces_total = $3, max_faces_in_frame = $4, \
             frames_with_faces = $5, progress = $6, processing_fps = $7, people_count = $8, \
             activity = COALESCE($9, activity), sparkline = COALESCE($10, sparkline), \
             updated_at = $11, status = CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE $12 END, \
             error = $13, frames_total = COALESCE($14, frames_total), lease_expires_at = NULL, \
             segments = $16, claim = NULL WHERE id = $1 AND claim = $15 RETURNING {COLUMNS}"
        );
        let finished: Option<Video> = bind_progress(sqlx::query_as(&sql).bind(id), &end.progress)
            .bind(now_text())
            .bind(end.status.as_str())
            .bind(end.error.as_deref())
            .bind(end.frames_total)
            .bind(&held.claim)
            .bind(end.segments)
            .fetch_optional(self.pool())
            .await?;
        if finished.is_some() {
            self.delete_segments(id).await?;
        }
        Ok(finished)
    }

    /// Puts a finished, failed or cancelled video back in the queue for a new run; `None`
    /// if it is in another state (or does not exist).
    pub async fn requeue_finished(
        conn: &mut sqlx::AnyConnection,
        id: &str,
    ) -> sqlx::Result<Option<Video>> {
        let sql = format!(
            "UPDATE videos SET {REQUEUE}, attempts = 0, segments = NULL, updated_at = $2 \
             WHERE id = $1 AND status IN ('done', 'failed', 'cancelled') RETURNING {COLUMNS}"
        );
        // A new run starts from the first frame: nothing of an earlier run's segments is kept.
        sqlx::query(
            "DELETE FROM video_segments WHERE video_id = $1 \
             AND EXISTS (SELECT 1 FROM videos WHERE id = $1 AND status IN ('done', 'failed', 'cancelled'))",
        )
        .bind(id)
        .execute(&mut *conn)
        .await?;
        sqlx::query_as(&sql)
            .bind(id)
            .bind(now_text())
            .fetch_optional(conn)
            .await
    }

    /// Marks a queued, processing or paused video `cancelled`; `None` if it is in another
    /// state.
    pub async fn cancel_video(&self, id: &str) -> sqlx::Result<Option<Video>> {
        let sql = format!(
            "UPDATE videos SET status = 'cancelled', updated_at = $2 \
             WHERE id = $1 AND status IN ('queued', 'processing', 'paused') RETURNING {COLUMNS}"
        );
        let cancelled: Option<Video> = sqlx::query_as(&sql)
            .bind(id)
            .bind(now_text())
            .fetch_optional(self.pool())
            .await?;
        // A held video's segments go with its job's end; nobody else will end a paused one.
        sqlx::query(
            "DELETE FROM video_segments WHERE video_id = $1 AND EXISTS \
             (SELECT 1 FROM videos WHERE id = $1 AND status = 'cancelled' AND worker_id IS NULL)",
        )
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(cancelled)
    }

    /// Deletes a video's row; returns its storage key if it existed.
    pub async fn delete_video(&self, id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query("DELETE FROM videos WHERE id = $1 RETURNING storage_key")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .map(|row| row.try_get("storage_key"))
            .transpose()
    }
}

fn bind_progress<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    p: &ProgressUpdate,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    let json = p.activity.as_ref().map(|a| a.to_json());
    query
        .bind(p.totals.frames_processed)
        .bind(p.totals.faces_total)
        .bind(p.totals.max_faces_in_frame)
        .bind(p.totals.frames_with_faces)
        .bind(p.progress)
        .bind(p.processing_fps)
        .bind(p.people_count)
        .bind(json.as_ref().map(|j| j.0.clone()))
        .bind(json.map(|j| j.1))
}
