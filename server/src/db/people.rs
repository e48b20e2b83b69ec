//! Queries on `video_people`: the distinct people found in each video.

use super::{now_text, Db};
use app::model::Appearance;

/// A person found in a video, ready to store.
#[derive(Debug, Clone)]
pub struct NewVideoPerson {
    pub id: String,
    pub video_id: String,
    pub profile_id: Option<String>,
    pub ordinal: i64,
    pub appearances: Vec<Appearance>,
    pub face_count: i64,
    pub crop_key: String,
    pub embedding: Vec<u8>,
}

/// A video a profile appears in, as read for listings.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileVideoRow {
    pub profile_id: String,
    pub video_id: String,
    pub filename: String,
    pub appearances: String,
}

impl Db {
    /// Stores one person of a video.
    pub async fn insert_video_person(&self, person: &NewVideoPerson) -> sqlx::Result<()> {
        let appearances =
            serde_json::to_string(&person.appearances).unwrap_or_else(|_| "[]".into());
        sqlx::query(
            "INSERT INTO video_people (id, video_id, profile_id, ordinal, appearances, face_count, \
             crop_key, embedding, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&person.id)
        .bind(&person.video_id)
        .bind(person.profile_id.as_deref())
        .bind(person.ordinal)
        .bind(appearances)
        .bind(person.face_count)
        .bind(&person.crop_key)
        .bind(&person.embedding)
        .bind(now_text())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Removes the people of a video (before storing them again after a re-run).
    pub async fn delete_video_people(&self, video_id: &str) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM video_people WHERE video_id = $1")
            .bind(video_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The videos each of `profile_ids` appears in, oldest video first.
    pub async fn profile_videos(
        &self,
        profile_ids: &[String],
    ) -> sqlx::Result<Vec<ProfileVideoRow>> {
        if profile_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=profile_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT vp.profile_id, vp.video_id, v.filename, vp.appearances \
             FROM video_people vp JOIN videos v ON v.id = vp.video_id \
             WHERE vp.profile_id IN ({}) ORDER BY v.created_at, vp.ordinal",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as(&sql);
        for id in profile_ids {
            query = query.bind(id);
        }
        query.fetch_all(self.pool()).await
    }
}
