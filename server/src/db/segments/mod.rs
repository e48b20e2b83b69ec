//! Queries on `video_segments`: the time segments of a long video, each taken by any free job
//! slot of any process under a claim of its own, kept while the video is paused or taken
//! over, so the next run continues from its first unfinished segment.

mod runs;

use super::{now_text, Db};
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
    /// Its faces per second so far (none before its first progress store).
    pub activity: Option<vision::FaceActivity>,
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
    max_faces_in_frame, frames_with_faces, people_so_far, activity";

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
        activity: row
            .try_get::<Option<String>, _>("activity")?
            .and_then(|json| serde_json::from_str(&json).ok()),
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

    /// Forgets a video's segments (its run ended, or it is run again from the start).
    pub async fn delete_segments(&self, video_id: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM video_segments WHERE video_id = $1")
            .bind(video_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
