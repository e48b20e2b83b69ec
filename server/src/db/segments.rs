//! Queries on `video_segments`: the time segments of a long video, each taken by any free job
//! slot of any process under a claim of its own, kept while the video is paused or taken
//! over, so the next run continues from its first unfinished segment.

use super::videos::Lease;
use super::{later_text, now_text, Db, Dialect};
use sqlx::Row;

/// One planned segment: its place on the timeline and its share of the video.
#[derive(Debug, Clone, Copy)]
pub struct PlannedSegment {
    pub idx: i64,
    pub start_s: f64,
    pub end_s: Option<f64>,
    /// Percent of the whole video (a video's segments add up to 100).
    pub weight: f64,
}

/// A segment claimed by this process: only the holder of `claim` may write its results.
#[derive(Debug, Clone)]
pub struct SegmentClaim {
    pub video_id: String,
    pub idx: i64,
    pub start_s: f64,
    pub end_s: Option<f64>,
    /// Unique per claim, so a segment re-claimed after a lapsed lease has one runner.
    pub claim: String,
}

/// Counts of one segment so far (or final).
#[derive(Debug, Clone, Copy, Default)]
pub struct SegmentCounts {
    /// 0–100 within the segment.
    pub progress: f64,
    pub frames_processed: i64,
    pub faces_total: i64,
    pub max_faces_in_frame: i64,
    pub frames_with_faces: i64,
    pub people_so_far: i64,
}

/// Where a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl SegmentStatus {
    fn parse(text: &str) -> Self {
        match text {
            "running" => Self::Running,
            "done" => Self::Done,
            "failed" => Self::Failed,
            _ => Self::Queued,
        }
    }
}

/// A segment's state as the video's coordinator reads it.
#[derive(Debug, Clone)]
pub struct SegmentState {
    pub idx: i64,
    pub status: SegmentStatus,
    pub weight: f64,
    pub counts: SegmentCounts,
}

/// Which running segments go back to the queue.
#[derive(Debug, Clone, Copy)]
pub enum Holders<'a> {
    /// Those whose runner stopped renewing its lease.
    Expired,
    /// Those this worker holds (it is stopping).
    Worker(&'a str),
    /// All of them (the embedded database at start: no other process can hold one).
    All,
}

const STATE: &str = "idx, status, weight, progress, frames_processed, faces_total, \
    max_faces_in_frame, frames_with_faces, people_so_far";

/// What a segment gives back to the queue: no holder, and its partial counts cleared.
const RELEASE: &str = "status = 'queued', claim = NULL, worker_id = NULL, \
    lease_expires_at = NULL, progress = 0, frames_processed = 0, faces_total = 0, \
    max_faces_in_frame = 0, frames_with_faces = 0, people_so_far = 0";

fn state(row: &sqlx::any::AnyRow) -> sqlx::Result<SegmentState> {
    Ok(SegmentState {
        idx: row.try_get("idx")?,
        status: SegmentStatus::parse(&row.try_get::<String, _>("status")?),
        weight: row.try_get("weight")?,
        counts: SegmentCounts {
            progress: row.try_get("progress")?,
            frames_processed: row.try_get("frames_processed")?,
            faces_total: row.try_get("faces_total")?,
            max_faces_in_frame: row.try_get("max_faces_in_frame")?,
            frames_with_faces: row.try_get("frames_with_faces")?,
            people_so_far: row.try_get("people_so_far")?,
        },
    })
}

impl Db {
    /// Stores the plan of a video's segments unless it already has one (a resumed or
    /// taken-over run keeps its plan); returns the video's segments as they are now.
    pub async fn plan_segments(
        &self,
        video_id: &str,
        plan: &[PlannedSegment],
    ) -> sqlx::Result<Vec<SegmentState>> {
        let mut tx = self.pool().begin().await?;
        let now = now_text();
        for s in plan {
            sqlx::query(
                "INSERT INTO video_segments (video_id, idx, start_s, end_s, weight, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (video_id, idx) DO NOTHING",
            )
            .bind(video_id)
            .bind(s.idx)
            .bind(s.start_s)
            .bind(s.end_s)
            .bind(s.weight)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE videos SET segments = (SELECT COUNT(*) FROM video_segments WHERE video_id = $1) WHERE id = $1")
            .bind(video_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.segments_of(video_id).await
    }

    /// The segments of a video, in order (empty when it is not cut).
    pub async fn segments_of(&self, video_id: &str) -> sqlx::Result<Vec<SegmentState>> {
        let sql = format!("SELECT {STATE} FROM video_segments WHERE video_id = $1 ORDER BY idx");
        let rows = sqlx::query(&sql)
            .bind(video_id)
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(state).collect()
    }

    /// The stored results of a video's finished segments, in order: `(idx, JSON)`.
    pub async fn segment_results(&self, video_id: &str) -> sqlx::Result<Vec<(i64, String)>> {
        let rows = sqlx::query(
            "SELECT idx, result FROM video_segments \
             WHERE video_id = $1 AND status = 'done' AND result IS NOT NULL ORDER BY idx",
        )
        .bind(video_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| Ok((row.try_get("idx")?, row.try_get("result")?)))
            .collect()
    }

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
    ) -> sqlx::Result<bool> {
        let done = bind_counts(
            sqlx::query(
                "UPDATE video_segments SET progress = $4, frames_processed = $5, faces_total = $6, \
                 max_faces_in_frame = $7, frames_with_faces = $8, people_so_far = $9, \
                 lease_expires_at = $10, updated_at = $11 \
                 WHERE video_id = $1 AND idx = $2 AND claim = $3 AND status = 'running' \
                 AND EXISTS (SELECT 1 FROM videos WHERE id = $1 AND status = 'processing')",
            )
            .bind(&claim.video_id)
            .bind(claim.idx)
            .bind(&claim.claim),
            counts,
        )
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
        result: Result<&str, &str>,
    ) -> sqlx::Result<bool> {
        let (status, text) = match result {
            Ok(json) => ("done", json),
            Err(message) => ("failed", message),
        };
        let done = bind_counts(
            sqlx::query(
                "UPDATE video_segments SET progress = $4, frames_processed = $5, faces_total = $6, \
                 max_faces_in_frame = $7, frames_with_faces = $8, people_so_far = $9, \
                 status = $10, result = $11, lease_expires_at = NULL, updated_at = $12 \
                 WHERE video_id = $1 AND idx = $2 AND claim = $3 AND status = 'running' \
                 AND EXISTS (SELECT 1 FROM videos WHERE id = $1 AND status = 'processing')",
            )
            .bind(&claim.video_id)
            .bind(claim.idx)
            .bind(&claim.claim),
            counts,
        )
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

    /// Forgets a video's segments (its run ended, or it is run again from the start).
    pub async fn delete_segments(&self, video_id: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM video_segments WHERE video_id = $1")
            .bind(video_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

fn bind_counts<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    c: &SegmentCounts,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(c.progress)
        .bind(c.frames_processed)
        .bind(c.faces_total)
        .bind(c.max_faces_in_frame)
        .bind(c.frames_with_faces)
        .bind(c.people_so_far)
}
