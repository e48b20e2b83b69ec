//! Queries that change who belongs to which profile. They run on one connection inside a
//! transaction that holds the matching lock ([`Db::begin_matching`]), so automatic matching,
//! merges and moves never interleave, in one process or across worker processes.

use super::people::NewVideoPerson;
use super::{now_text, placeholders, Db, Dialect};
use sqlx::{Any, AnyConnection, Transaction};

/// A transaction holding the matching lock.
pub type MatchingTx = Transaction<'static, Any>;

/// Key of the PostgreSQL advisory lock ("face" in ASCII).
const MATCHING_LOCK: i64 = 0x6661_6365;

/// A face of a profile's gallery: the profile's own or one of its people's.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GalleryRow {
    pub profile_id: String,
    pub embedding: Vec<u8>,
    pub model: Option<String>,
}

/// A person of the video as stored before a re-run.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OldPersonRow {
    pub profile_id: Option<String>,
    #[sqlx(try_from = "app::model::DbFlag")]
    pub manual: bool,
    pub embedding: Vec<u8>,
}

/// A remembered "not this person".
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RejectionRow {
    pub id: String,
    pub profile_id: String,
    pub embedding: Vec<u8>,
}

impl Db {
    /// Starts a transaction that holds the matching lock: a transaction-scoped advisory lock
    /// on PostgreSQL; on SQLite the database's write lock, taken by a first write (the one
    /// writer at a time SQLite allows; later upgrades could fail with a stale snapshot).
    pub async fn begin_matching(&self) -> sqlx::Result<MatchingTx> {
        let mut tx = self.pool().begin().await?;
        match self.dialect() {
            Dialect::Postgres => {
                sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock($1)) AS locked")
                    .bind(MATCHING_LOCK)
                    .execute(&mut *tx)
                    .await?;
            }
            Dialect::Sqlite => {
                sqlx::query("UPDATE row_counts SET value = value WHERE name = 'profiles'")
                    .execute(&mut *tx)
                    .await?;
            }
        }
        Ok(tx)
    }
}

/// Every profile's gallery: its own face and those of its people outside `video_id`.
pub async fn gallery(conn: &mut AnyConnection, video_id: &str) -> sqlx::Result<Vec<GalleryRow>> {
    sqlx::query_as(
        "SELECT id AS profile_id, embedding, model FROM profiles \
         UNION ALL SELECT profile_id, embedding, model FROM video_people \
         WHERE profile_id IS NOT NULL AND video_id <> $1",
    )
    .bind(video_id)
    .fetch_all(conn)
    .await
}

/// The people a video had before this run.
pub async fn old_people(
    conn: &mut AnyConnection,
    video_id: &str,
) -> sqlx::Result<Vec<OldPersonRow>> {
    sqlx::query_as("SELECT profile_id, manual, embedding FROM video_people WHERE video_id = $1")
        .bind(video_id)
        .fetch_all(conn)
        .await
}

/// The "not this person" decisions about people of a video.
pub async fn rejections(
    conn: &mut AnyConnection,
    video_id: &str,
) -> sqlx::Result<Vec<RejectionRow>> {
    sqlx::query_as("SELECT id, profile_id, embedding FROM profile_rejections WHERE video_id = $1")
        .bind(video_id)
        .fetch_all(conn)
        .await
}

/// Remembers that the person of `video_id` with `embedding` is not `profile_id`.
pub async fn insert_rejection(
    conn: &mut AnyConnection,
    profile_id: &str,
    video_id: &str,
    embedding: &[u8],
    model: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO profile_rejections (id, profile_id, video_id, embedding, model, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(profile_id)
    .bind(video_id)
    .bind(embedding)
    .bind(model)
    .bind(now_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets some "not this person" decisions (an operator put the person back).
pub async fn delete_rejections(conn: &mut AnyConnection, ids: &[String]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM profile_rejections WHERE id IN ({})",
        placeholders(ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.execute(conn).await?;
    Ok(())
}

/// Removes the people of a video (before storing them again after a re-run).
pub async fn delete_video_people(conn: &mut AnyConnection, video_id: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM video_people WHERE video_id = $1")
        .bind(video_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores one person of a video.
pub async fn insert_video_person(
    conn: &mut AnyConnection,
    person: &NewVideoPerson,
) -> sqlx::Result<()> {
    let appearances = serde_json::to_string(&person.appearances).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO video_people (id, video_id, profile_id, ordinal, appearances, face_count, \
         crop_key, embedding, created_at, model, episode_thumbs, manual) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
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
    .bind(&person.model)
    .bind(person.episode_thumbs)
    .bind(i64::from(person.manual))
    .execute(conn)
    .await?;
    Ok(())
}

/// Creates an unnamed profile with its crop and embedding (made by `model`).
pub async fn insert_profile(
    conn: &mut AnyConnection,
    id: &str,
    crop_key: &str,
    embedding: &[u8],
    model: Option<&str>,
) -> sqlx::Result<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO profiles (id, crop_key, embedding, created_at, updated_at, model) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(crop_key)
    .bind(embedding)
    .bind(&now)
    .bind(&now)
    .bind(model)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a person into a profile (or none) by hand: re-processing keeps it there.
pub async fn set_person_profile(
    conn: &mut AnyConnection,
    person_id: &str,
    profile_id: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE video_people SET profile_id = $2, manual = 1 WHERE id = $1")
        .bind(person_id)
        .bind(profile_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A person as a correction needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonFacts {
    pub video_id: String,
    pub profile_id: Option<String>,
    pub embedding: Vec<u8>,
    pub model: Option<String>,
    pub crop_key: String,
}

/// One person, read inside the transaction that changes it.
pub async fn person_facts(
    conn: &mut AnyConnection,
    person_id: &str,
) -> sqlx::Result<Option<PersonFacts>> {
    sqlx::query_as(
        "SELECT video_id, profile_id, embedding, model, crop_key FROM video_people WHERE id = $1",
    )
    .bind(person_id)
    .fetch_optional(conn)
    .await
}

/// Moves every person and every "not this person" of profile `from` to profile `to`, as an
/// operator's decision; returns the people moved.
pub async fn move_profile_people(
    conn: &mut AnyConnection,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<String>> {
    let moved: Vec<String> = sqlx::query_scalar(
        "UPDATE video_people SET profile_id = $2, manual = 1 WHERE profile_id = $1 RETURNING id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("UPDATE profile_rejections SET profile_id = $2 WHERE profile_id = $1")
        .bind(from)
        .bind(to)
        .execute(&mut *conn)
        .await?;
    Ok(moved)
}

/// The "not this person" decisions of `profile_id` about people of `video_id`.
pub async fn profile_rejections(
    conn: &mut AnyConnection,
    profile_id: &str,
    video_id: &str,
) -> sqlx::Result<Vec<RejectionRow>> {
    sqlx::query_as(
        "SELECT id, profile_id, embedding FROM profile_rejections \
         WHERE profile_id = $1 AND video_id = $2",
    )
    .bind(profile_id)
    .bind(video_id)
    .fetch_all(conn)
    .await
}
