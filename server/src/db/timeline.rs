//! Reading what a video's timeline draws: its faces per second and its people with their
//! profiles' names; and the faces per second a paused video keeps.

use super::Db;
use crate::timeline::ActivityUpdate;
use sqlx::Row;
use vision::FaceActivity;

/// A person of a video as its timeline lane shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LaneRow {
    pub id: String,
    pub ordinal: i64,
    pub profile_id: Option<String>,
    pub full_name: Option<String>,
    pub appearances: String,
    pub episode_thumbs: i64,
}

/// A video's faces per second as stored, with what the timeline needs of the video.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    pub duration_s: Option<f64>,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub per_second: Vec<u32>,
}

impl Db {
    /// The stored faces per second of a video; `None` when there is no such video.
    pub async fn video_activity(&self, id: &str) -> sqlx::Result<Option<ActivityRow>> {
        let row =
            sqlx::query("SELECT duration_s, width, height, activity FROM videos WHERE id = $1")
                .bind(id)
                .fetch_optional(self.pool())
                .await?;
        row.map(|row| {
            let json: Option<String> = row.try_get("activity")?;
            Ok(ActivityRow {
                duration_s: row.try_get("duration_s")?,
                width: row.try_get("width")?,
                height: row.try_get("height")?,
                per_second: json
                    .and_then(|json| serde_json::from_str(&json).ok())
                    .unwrap_or_default(),
            })
        })
        .transpose()
    }

    /// The people of a video in ordinal order, with their profiles' names.
    pub async fn timeline_people(&self, video_id: &str) -> sqlx::Result<Vec<LaneRow>> {
        sqlx::query_as(
            "SELECT vp.id, vp.ordinal, vp.profile_id, p.full_name, vp.appearances, vp.episode_thumbs \
             FROM video_people vp LEFT JOIN profiles p ON p.id = vp.profile_id \
             WHERE vp.video_id = $1 ORDER BY vp.ordinal",
        )
        .bind(video_id)
        .fetch_all(self.pool())
        .await
    }
}

/// Sets a video's faces per second to those of its finished segments (what a paused video
/// keeps, as it keeps their counts); returns what was stored.
pub(crate) async fn keep_finished_activity(
    conn: &mut sqlx::AnyConnection,
    video_id: &str,
) -> sqlx::Result<ActivityUpdate> {
    let parts: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT activity FROM video_segments WHERE video_id = $1 AND status = 'done' ORDER BY idx",
    )
    .bind(video_id)
    .fetch_all(&mut *conn)
    .await?;
    let parts: Vec<FaceActivity> = parts
        .into_iter()
        .flatten()
        .filter_map(|json| serde_json::from_str(&json).ok())
        .collect();
    let duration: Option<f64> = sqlx::query_scalar("SELECT duration_s FROM videos WHERE id = $1")
        .bind(video_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    let update = ActivityUpdate::new(FaceActivity::combine(&parts), duration);
    let (activity, sparkline) = update.to_json();
    sqlx::query("UPDATE videos SET activity = $2, sparkline = $3 WHERE id = $1")
        .bind(video_id)
        .bind(activity)
        .bind(sparkline)
        .execute(&mut *conn)
        .await?;
    Ok(update)
}
