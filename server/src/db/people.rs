//! Queries on `video_people`: the distinct people found in each video.

use super::{placeholders, Db};
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
    /// The embedding model (`EmbedderPreset` name and file hash).
    pub model: String,
    /// How many episode pictures are stored (one per appearance).
    pub episode_thumbs: i64,
    /// Whether an operator's decision put it where it is (kept by re-processing).
    pub manual: bool,
}

/// A video a profile appears in, as read for listings.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileVideoRow {
    pub profile_id: String,
    pub person_id: String,
    pub video_id: String,
    pub filename: String,
    pub duration_s: Option<f64>,
    pub appearances: String,
    pub episode_thumbs: i64,
}

/// A person of a video with what is shown about it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: String,
    pub video_id: String,
    pub filename: String,
    pub duration_s: Option<f64>,
    pub profile_id: Option<String>,
    pub appearances: String,
    pub episode_thumbs: i64,
    pub crop_key: String,
    pub ordinal: i64,
    pub model: Option<String>,
}

const PERSON_COLUMNS: &str = "vp.id, vp.video_id, v.filename, v.duration_s, vp.profile_id, \
     vp.appearances, vp.episode_thumbs, vp.crop_key, vp.ordinal, vp.model";

impl Db {
    /// The videos each of `profile_ids` appears in, oldest video first.
    pub async fn profile_videos(
        &self,
        profile_ids: &[String],
    ) -> sqlx::Result<Vec<ProfileVideoRow>> {
        if profile_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT vp.profile_id, vp.id AS person_id, vp.video_id, v.filename, v.duration_s, \
             vp.appearances, vp.episode_thumbs \
             FROM video_people vp JOIN videos v ON v.id = vp.video_id \
             WHERE vp.profile_id IN ({}) ORDER BY v.created_at, vp.ordinal",
            placeholders(profile_ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in profile_ids {
            query = query.bind(id);
        }
        query.fetch_all(self.pool()).await
    }

    /// Some people by id, with their videos' names (in no particular order).
    pub async fn people_by_ids(&self, ids: &[String]) -> sqlx::Result<Vec<PersonRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM video_people vp JOIN videos v ON v.id = vp.video_id \
             WHERE vp.id IN ({})",
            placeholders(ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(self.pool()).await
    }

    /// One person, or `None`.
    pub async fn get_person(&self, id: &str) -> sqlx::Result<Option<PersonRow>> {
        Ok(self.people_by_ids(&[id.to_owned()]).await?.pop())
    }

    /// A person's embedding and the model that made it.
    pub async fn person_embedding(
        &self,
        id: &str,
    ) -> sqlx::Result<Option<(Vec<u8>, Option<String>)>> {
        sqlx::query_as("SELECT embedding, model FROM video_people WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    /// The embeddings (and their models) of every person assigned to a profile.
    pub async fn profile_people_embeddings(
        &self,
        profile_id: &str,
    ) -> sqlx::Result<Vec<(Vec<u8>, Option<String>)>> {
        sqlx::query_as("SELECT embedding, model FROM video_people WHERE profile_id = $1")
            .bind(profile_id)
            .fetch_all(self.pool())
            .await
    }

    /// One page of people, newest first, and how many match in all. `assigned`: only those
    /// with (`true`) or without (`false`) a profile; `None`: all.
    pub async fn list_people(
        &self,
        assigned: Option<bool>,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<PersonRow>, i64)> {
        let condition = match assigned {
            Some(true) => "vp.profile_id IS NOT NULL",
            Some(false) => "vp.profile_id IS NULL",
            None => "1 = 1",
        };
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM video_people vp JOIN videos v ON v.id = vp.video_id \
             WHERE {condition} ORDER BY vp.created_at DESC, vp.id DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query_as(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let sql = format!("SELECT COUNT(*) FROM video_people vp WHERE {condition}");
        let total = sqlx::query_scalar(&sql).fetch_one(self.pool()).await?;
        Ok((rows, total))
    }

    /// The people of a profile's gallery, oldest video first.
    pub async fn profile_people(&self, profile_id: &str) -> sqlx::Result<Vec<PersonRow>> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM video_people vp JOIN videos v ON v.id = vp.video_id \
             WHERE vp.profile_id = $1 ORDER BY v.created_at, vp.ordinal"
        );
        sqlx::query_as(&sql)
            .bind(profile_id)
            .fetch_all(self.pool())
            .await
    }

    /// Every face that can be compared: each profile's own (`profile:<id>`), each person's
    /// with its profile, and the models that made them.
    pub async fn all_faces(&self) -> sqlx::Result<Vec<FaceRow>> {
        sqlx::query_as(
            "SELECT id AS profile_id, NULL AS person_id, embedding, model FROM profiles \
             UNION ALL SELECT profile_id, id AS person_id, embedding, model FROM video_people",
        )
        .fetch_all(self.pool())
        .await
    }
}

/// One comparable face (see [`Db::all_faces`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FaceRow {
    /// The profile it belongs to (for a person: its profile, if any).
    pub profile_id: Option<String>,
    /// The person, when the face is a person's and not a profile's own.
    pub person_id: Option<String>,
    pub embedding: Vec<u8>,
    pub model: Option<String>,
}
