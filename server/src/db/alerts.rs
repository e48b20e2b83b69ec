//! Queries on `alerts`: raised inside the matching transaction, read and acknowledged by
//! operators.

use super::{now_text, Db};
use sqlx::AnyConnection;

/// An alert as the listing shows it (with the profile's current name).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AlertRow {
    pub id: String,
    pub profile_id: String,
    pub profile_name: Option<String>,
    pub video_id: String,
    pub file_name: String,
    pub person_id: String,
    pub episodes: String,
    pub similarity: Option<f64>,
    pub created_at: String,
    pub acknowledged_at: Option<String>,
}

/// What raising an alert stores.
#[derive(Debug, Clone)]
pub struct NewAlert<'a> {
    pub profile_id: &'a str,
    pub video_id: &'a str,
    pub file_name: &'a str,
    pub person_id: &'a str,
    pub episodes: String,
    pub similarity: Option<f64>,
}

const COLUMNS: &str = "a.id, a.profile_id, p.full_name AS profile_name, a.video_id, \
     a.file_name, a.person_id, a.episodes, a.similarity, a.created_at, a.acknowledged_at";
const FROM: &str = "alerts a LEFT JOIN profiles p ON p.id = a.profile_id";

/// The profiles among `ids` that are on the watch list, with their names.
pub async fn watched(
    conn: &mut AnyConnection,
    ids: &[String],
) -> sqlx::Result<Vec<(String, Option<String>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, full_name FROM profiles WHERE watch = 1 AND id IN ({})",
        super::placeholders(ids.len())
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}

/// The file name of the video an alert is about (kept with the alert).
pub async fn video_file_name(conn: &mut AnyConnection, video_id: &str) -> sqlx::Result<String> {
    sqlx::query_scalar("SELECT filename FROM videos WHERE id = $1")
        .bind(video_id)
        .fetch_one(conn)
        .await
}

/// Raises the alert of a profile in a video, or refreshes the one an earlier run of the video
/// raised (new person id and episodes; its id, time and acknowledgement stay). Returns the id
/// of a new alert, `None` for a refreshed one.
pub async fn raise(conn: &mut AnyConnection, alert: &NewAlert<'_>) -> sqlx::Result<Option<String>> {
    let refreshed = sqlx::query(
        "UPDATE alerts SET person_id = $3, episodes = $4, similarity = $5 \
         WHERE profile_id = $1 AND video_id = $2",
    )
    .bind(alert.profile_id)
    .bind(alert.video_id)
    .bind(alert.person_id)
    .bind(&alert.episodes)
    .bind(alert.similarity)
    .execute(&mut *conn)
    .await?;
    if refreshed.rows_affected() > 0 {
        return Ok(None);
    }
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO alerts (id, profile_id, video_id, file_name, person_id, episodes, \
         similarity, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(alert.profile_id)
    .bind(alert.video_id)
    .bind(alert.file_name)
    .bind(alert.person_id)
    .bind(&alert.episodes)
    .bind(alert.similarity)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(Some(id))
}

/// One alert.
pub async fn get(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<AlertRow>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE a.id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

impl Db {
    /// One page of alerts, newest first; with the total and the unacknowledged count.
    pub async fn list_alerts(
        &self,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<AlertRow>, i64, i64)> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} ORDER BY a.created_at DESC, a.id DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query_as(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let (total, open): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN acknowledged_at IS NULL THEN 1 ELSE 0 END), 0) \
             FROM alerts",
        )
        .fetch_one(self.pool())
        .await?;
        Ok((rows, total, open))
    }

    /// Marks an alert acknowledged (the first time counts); `None` if there is no such alert.
    pub async fn acknowledge_alert(&self, id: &str) -> sqlx::Result<Option<AlertRow>> {
        let mut conn = self.pool().acquire().await?;
        sqlx::query(
            "UPDATE alerts SET acknowledged_at = COALESCE(acknowledged_at, $2) WHERE id = $1",
        )
        .bind(id)
        .bind(now_text())
        .execute(&mut *conn)
        .await?;
        get(&mut conn, id).await
    }

    /// One alert, outside a transaction.
    pub async fn get_alert(&self, id: &str) -> sqlx::Result<Option<AlertRow>> {
        let mut conn = self.pool().acquire().await?;
        get(&mut conn, id).await
    }
}
