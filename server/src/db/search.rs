//! What the archive search reads: every stored person's embedding, and the counter that
//! says whether the copy a process holds in memory is still current.

use super::Db;

/// One person of the archive as the search index holds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndexRow {
    pub id: String,
    pub video_id: String,
    pub model: Option<String>,
    pub embedding: Vec<u8>,
    pub video_created_at: String,
    pub appearances: String,
}

impl Db {
    /// A number that changes whenever a person is stored or deleted anywhere (kept by
    /// triggers, so this reads one row).
    pub async fn people_changes(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT value FROM row_counts WHERE name = 'people_changes'")
            .fetch_one(self.pool())
            .await
    }

    /// Every stored person with its embedding, model and video time.
    pub async fn search_index_rows(&self) -> sqlx::Result<Vec<IndexRow>> {
        sqlx::query_as(
            "SELECT vp.id, vp.video_id, vp.model, vp.embedding, v.created_at AS video_created_at, \
             vp.appearances FROM video_people vp JOIN videos v ON v.id = vp.video_id",
        )
        .fetch_all(self.pool())
        .await
    }
}
