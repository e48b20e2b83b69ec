//! The runner's side of `video_segments`: claiming a segment, storing its progress and its
//! result under that claim, and giving segments back to the queue.

use super::{Holders, SegmentClaim, SegmentCounts};
use crate::db::{later_text, now_text, Db, Dialect};
use crate::jobs::Lease;
use sqlx::Row;
use vision::FaceActivity;

/// What a segment gives back to the queue: no holder, and its partial counts cleared.
const RELEASE: &str = "status = 'queued', claim = NULL, worker_id = NULL, \
    lease_expires_at = NULL, progress = 0, frames_processed = 0, faces_total = 0, \
    max_faces_in_frame = 0, frames_with_faces = 0, people_so_far = 0, activity = NULL";

impl Db {
    /// Claims the next queued segment, of `video_id` only or of any processing video. Without
    /// a video, a segment is taken only when no video uploaded before its own is waiting in
    /// the queue, so segments of one long video do not overtake earlier uploads.
    pub async fn claim_segment(
        &self,
        lease: &Lease,
        video_id: Option<&str>,
    ) -> sqlx::Result<Option<SegmentClaim>> {
        let lock = match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => "FOR UPDATE OF s SKIP LOCKED",
        };
        let only = if video_id.is_some() {
            "AND s.video_id = $5"
        } else {
            "AND NOT EXISTS (SELECT 1 FROM videos q WHERE q.status = 'queued' \
             AND q.created_at < v.created_at)"
        };
        let sql = format!(
            "UPDATE video_segments SET status = 'running', claim = $1, worker_id = $2, \
             lease_expires_at = $3, attempts = attempts + 1, updated_at = $4 \
             WHERE status = 'queued' AND (video_id, idx) = (\
               SELECT s.video_id, s.idx FROM video_segments s JOIN videos v ON v.id = s.video_id \
               WHERE s.status = 'queued' AND v.status = 'processing' {only} \
               ORDER BY v.created_at, v.id, s.idx LIMIT 1 {lock}) \
             RETURNING video_id, idx, start_s, end_s, claim"
        );
        let claim = uuid::Uuid::now_v7().to_string();
        let mut query = sqlx::query(&sql)
            .bind(&claim)
            .bind(&lease.worker_id)
            .bind(later_text(lease.duration))
            .bind(now_text());
        if let Some(id) = video_id {
            query = query.bind(id);
        }
        let Some(row) = query.fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        Ok(Some(SegmentClaim {
            video_id: row.try_get("video_id")?,
            idx: row.try_get("idx")?,
            start_s: row.try_get("start_s")?,
            end_s: row.try_get("end_s")?,
            claim: row.try_get("claim")?,
        }))
    }

    /// Stores a running segment's counts and renews its lease; false when its runner should
    /// stop (the video is no longer processing, or the claim was lost).
    pub async fn segment_progress(
        &self,
        claim: &SegmentClaim,
        lease: &Lease,
        counts: &SegmentCounts,
        activity: &FaceActivity,
    ) -> sqlx::Result<bool> {
        let sql = format!(
            "UPDATE video_segments SET {SET_COUNTS}, lease_expires_at = $11, updated_at = $12 \
             {HELD_WHILE_PROCESSING}"
        );
        let done = bind_claim_counts(sqlx::query(&sql), claim, counts, Some(activity))
            .bind(later_text(lease.duration))
            .bind(now_text())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Renews a segment's lease while its runner prepares (a download); false once lost.
    pub async fn renew_segment(&self, claim: &SegmentClaim, lease: &Lease) -> sqlx::Result<bool> {
        let done = sqlx::query(
            "UPDATE video_segments SET lease_expires_at = $4 \
             WHERE video_id = $1 AND idx = $2 AND claim = $3 AND status = 'running'",
        )
        .bind(&claim.video_id)
        .bind(claim.idx)
        .bind(&claim.claim)
        .bind(later_text(lease.duration))
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends a segment: `Ok(json)` done with its result, `Err(message)` failed. False when the
    /// claim was lost or the video stopped processing (the result is dropped).
    pub async fn finish_segment(
        &self,
        claim: &SegmentClaim,
        counts: &SegmentCounts,
        activity: Option<&FaceActivity>,
        result: Result<&str, &str>,
    ) -> sqlx::Result<bool> {
        let (status, text) = match result {
            Ok(json) => ("done", json),
            Err(message) => ("failed", message),
        };
        let sql = format!(
            "UPDATE video_segments SET {SET_COUNTS}, status = $11, result = $12, \
             lease_expires_at = NULL, updated_at = $13 {HELD_WHILE_PROCESSING}"
        );
        let done = bind_claim_counts(sqlx::query(&sql), claim, counts, activity)
            .bind(status)
            .bind(text)
            .bind(now_text())
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Gives a segment this process stopped (at shutdown) back to the queue at once.
    pub async fn release_segment(&self, claim: &SegmentClaim) -> sqlx::Result<()> {
        let sql = format!(
            "UPDATE video_segments SET {RELEASE}, updated_at = $4 \
             WHERE video_id = $1 AND idx = $2 AND claim = $3 AND status = 'running'"
        );
        sqlx::query(&sql)
            .bind(&claim.video_id)
            .bind(claim.idx)
            .bind(&claim.claim)
            .bind(now_text())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Puts running segments back in the queue (their partial counts cleared), but fails
    /// those already claimed `max_attempts` times (a segment that kills its runner is not
    /// retried forever: its video is then scanned in one pass, itself under the same limit).
    /// Returns how many went back to the queue.
    pub async fn requeue_segments(
        &self,
        which: Holders<'_>,
        max_attempts: i64,
    ) -> sqlx::Result<u64> {
        let condition = match which {
            Holders::Expired => "(lease_expires_at IS NULL OR lease_expires_at < $1)",
            Holders::Worker(_) => "worker_id = $3",
            Holders::All => "$1 = $1",
        };
        // A worker that stops gracefully gives its segments back whatever their attempts.
        let limit = if matches!(which, Holders::Worker(_)) {
            i64::MAX
        } else {
            max_attempts
        };
        let give_up = format!(
            "UPDATE video_segments SET status = 'failed', lease_expires_at = NULL, \
             result = 'its runner stopped too often without finishing', updated_at = $1 \
             WHERE status = 'running' AND {condition} AND attempts >= $2"
        );
        let requeue = format!(
            "UPDATE video_segments SET {RELEASE}, updated_at = $1 \
             WHERE status = 'running' AND {condition} AND attempts < $2"
        );
        let mut requeued = 0;
        for sql in [give_up, requeue] {
            let mut query = sqlx::query(&sql).bind(now_text()).bind(limit);
            if let Holders::Worker(worker) = which {
                query = query.bind(worker);
            }
            requeued = query.execute(self.pool()).await?.rows_affected();
        }
        Ok(requeued)
    }
}

/// A segment's counts and faces per second, as SQL assignments for `$4` to `$10` (see
/// [`bind_claim_counts`]).
const SET_COUNTS: &str = "progress = $4, frames_processed = $5, faces_total = $6, \
    max_faces_in_frame = $7, frames_with_faces = $8, people_so_far = $9, activity = $10";

/// Only the holder of the claim (`$1` to `$3`), and only while the video is processing.
const HELD_WHILE_PROCESSING: &str =
    "WHERE video_id = $1 AND idx = $2 AND claim = $3 AND status = 'running' \
     AND EXISTS (SELECT 1 FROM videos WHERE id = $1 AND status = 'processing')";

/// Binds the claim (`$1` to `$3`), the counts (`$4` to `$9`) and the faces per second
/// (`$10`, JSON).
fn bind_claim_counts<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    claim: &'q SegmentClaim,
    c: &SegmentCounts,
    activity: Option<&FaceActivity>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let activity = activity.and_then(|a| serde_json::to_string(a).ok());
    query
        .bind(&claim.video_id)
        .bind(claim.idx)
        .bind(&claim.claim)
        .bind(c.progress)
        .bind(c.frames_processed)
        .bind(c.faces_total)
        .bind(c.max_faces_in_frame)
        .bind(c.frames_with_faces)
        .bind(c.people_so_far)
        .bind(activity)
}
