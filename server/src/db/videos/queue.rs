//! Where a video goes when its run stops without finishing: back to the queue (keeping its
//! finished segments), given up after too many attempts, or paused by an operator.

use super::super::segments::Holders;
use super::COLUMNS;
use crate::db::{now_text, Db};
use crate::jobs::ClaimedVideo;
use app::model::Video;

/// The counts and progress of a video's finished segments (0 when it has none), as SQL
/// assignments for an `UPDATE videos`.
macro_rules! keep_finished_segments {
    () => {
        "progress = COALESCE((SELECT SUM(s.weight) FROM video_segments s WHERE s.video_id = videos.id AND s.status = 'done'), 0), \
         frames_processed = COALESCE((SELECT SUM(s.frames_processed) FROM video_segments s WHERE s.video_id = videos.id AND s.status = 'done'), 0), \
         faces_total = COALESCE((SELECT SUM(s.faces_total) FROM video_segments s WHERE s.video_id = videos.id AND s.status = 'done'), 0), \
         max_faces_in_frame = COALESCE((SELECT MAX(s.max_faces_in_frame) FROM video_segments s WHERE s.video_id = videos.id AND s.status = 'done'), 0), \
         frames_with_faces = COALESCE((SELECT SUM(s.frames_with_faces) FROM video_segments s WHERE s.video_id = videos.id AND s.status = 'done'), 0)"
    };
}

/// What putting a video back in the queue sets: no holder, no lease, and the counts of the
/// interrupted run cleared, but for those of its finished segments, which the next run keeps
/// (it continues from the first unfinished segment).
pub(crate) const REQUEUE: &str = concat!(
    "status = 'queued', worker_id = NULL, claim = NULL, lease_expires_at = NULL, ",
    keep_finished_segments!(),
    ", processing_fps = NULL, people_count = NULL, error = NULL, activity = NULL, sparkline = NULL"
);

/// What pausing a video sets: no holder, no lease, only its finished segments' counts.
const PAUSE: &str = concat!(
    "status = 'paused', worker_id = NULL, claim = NULL, lease_expires_at = NULL, ",
    keep_finished_segments!(),
    ", processing_fps = NULL, people_count = NULL, activity = NULL, sparkline = NULL"
);

impl Db {
    /// Puts back in the queue every processing video whose worker stopped renewing its
    /// lease, but fails those already claimed `max_attempts` times (a video that kills its
    /// worker is not retried forever); returns the videos changed.
    pub async fn requeue_expired(&self, max_attempts: i64) -> sqlx::Result<Vec<Video>> {
        self.requeue_segments(Holders::Expired, max_attempts)
            .await?;
        self.requeue_or_give_up(
            "status = 'processing' AND (lease_expires_at IS NULL OR lease_expires_at < $1)",
            max_attempts,
        )
        .await
    }

    /// Re-queues the processing videos matching `condition` (which may use `$1`, the time
    /// now), or fails them with their last counts once claimed `max_attempts` times.
    async fn requeue_or_give_up(
        &self,
        condition: &str,
        max_attempts: i64,
    ) -> sqlx::Result<Vec<Video>> {
        let give_up = format!(
            "UPDATE videos SET status = 'failed', worker_id = NULL, claim = NULL, lease_expires_at = NULL, \
             processing_fps = NULL, error = $3, updated_at = $1 \
             WHERE {condition} AND attempts >= $2 RETURNING {COLUMNS}"
        );
        let message = format!(
            "processing stopped {max_attempts} times without finishing (the worker crashed or \
             ran out of memory on this video); not tried again (FACETALLY_MAX_ATTEMPTS)"
        );
        let mut changed: Vec<Video> = sqlx::query_as(&give_up)
            .bind(now_text())
            .bind(max_attempts)
            .bind(&message)
            .fetch_all(self.pool())
            .await?;
        for video in &changed {
            self.delete_segments(&video.id).await?;
        }
        let requeue = format!(
            "UPDATE videos SET {REQUEUE}, updated_at = $1 \
             WHERE {condition} AND attempts < $2 RETURNING {COLUMNS}"
        );
        let requeued: Vec<Video> = sqlx::query_as(&requeue)
            .bind(now_text())
            .bind(max_attempts)
            .fetch_all(self.pool())
            .await?;
        changed.extend(requeued);
        Ok(changed)
    }

    /// Pauses a queued or processing video: it holds no job slot and keeps only its finished
    /// segments' counts; the segments running are given back (their runners stop at their
    /// next progress store). `None` if it is in another state.
    pub async fn pause_video(&self, id: &str) -> sqlx::Result<Option<Video>> {
        let mut tx = self.pool().begin().await?;
        let sql = format!(
            "UPDATE videos SET {PAUSE}, updated_at = $2 \
             WHERE id = $1 AND status IN ('queued', 'processing') RETURNING {COLUMNS}"
        );
        let mut paused: Option<Video> = sqlx::query_as(&sql)
            .bind(id)
            .bind(now_text())
            .fetch_optional(&mut *tx)
            .await?;
        if paused.is_some() {
            sqlx::query(
                "UPDATE video_segments SET status = 'queued', claim = NULL, worker_id = NULL, \
                 lease_expires_at = NULL, progress = 0, frames_processed = 0, faces_total = 0, \
                 max_faces_in_frame = 0, frames_with_faces = 0, people_so_far = 0, result = NULL, activity = NULL \
                 WHERE video_id = $1 AND status IN ('running', 'failed')",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(video) = paused.as_mut() {
            let kept = crate::db::timeline::keep_finished_activity(&mut tx, id).await?;
            video.sparkline = kept.sparkline;
        }
        tx.commit().await?;
        Ok(paused)
    }

    /// Queues a paused video again; `None` if it is in another state.
    pub async fn resume_video(&self, id: &str) -> sqlx::Result<Option<Video>> {
        let sql = format!(
            "UPDATE videos SET status = 'queued', attempts = 0, updated_at = $2 \
             WHERE id = $1 AND status = 'paused' RETURNING {COLUMNS}"
        );
        sqlx::query_as(&sql)
            .bind(id)
            .bind(now_text())
            .fetch_optional(self.pool())
            .await
    }

    /// Puts every `processing` video back in the queue (failing those claimed
    /// `max_attempts` times); only for the embedded database, where no other process can be
    /// holding one. Returns the videos changed.
    pub async fn requeue_interrupted(&self, max_attempts: i64) -> sqlx::Result<Vec<Video>> {
        self.requeue_segments(Holders::All, max_attempts).await?;
        // `$1` is bound (the time now) but not needed to tell these videos.
        self.requeue_or_give_up("status = 'processing' AND $1 = $1", max_attempts)
            .await
    }

    /// Puts a video back in the queue that its claim's job could not go on with; `None` if
    /// the claim no longer holds it.
    pub async fn requeue_held_video(&self, held: &ClaimedVideo) -> sqlx::Result<Option<Video>> {
        let sql = format!(
            "UPDATE videos SET {REQUEUE}, updated_at = $1 \
             WHERE id = $2 AND claim = $3 AND status = 'processing' RETURNING {COLUMNS}"
        );
        sqlx::query_as(&sql)
            .bind(now_text())
            .bind(&held.video_id)
            .bind(&held.claim)
            .fetch_optional(self.pool())
            .await
    }

    /// Puts back in the queue every video `worker_id` still holds as `processing` (its jobs
    /// stopped at shutdown), so another worker can take them at once; returns them.
    pub async fn requeue_held(&self, worker_id: &str) -> sqlx::Result<Vec<Video>> {
        self.requeue_segments(Holders::Worker(worker_id), i64::MAX)
            .await?;
        let sql = format!(
            "UPDATE videos SET {REQUEUE}, updated_at = $1 \
             WHERE worker_id = $2 AND status = 'processing' RETURNING {COLUMNS}"
        );
        sqlx::query_as(&sql)
            .bind(now_text())
            .bind(worker_id)
            .fetch_all(self.pool())
            .await
    }
}
