//! Queries on `profiles`.

use super::{now_text, Db};

/// A profile's own columns (its videos are read separately).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: String,
    pub full_name: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A field change: `None` leaves the column as it is, `Some(None)` clears it.
pub type Change = Option<Option<String>>;

/// The changes of one PATCH, already validated.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub full_name: Change,
    pub gender: Change,
    pub birth_date: Change,
}

const COLUMNS: &str = "id, full_name, gender, birth_date, created_at, updated_at";

impl Db {
    /// Creates an unnamed profile with its crop and embedding.
    pub async fn insert_profile(
        &self,
        id: &str,
        crop_key: &str,
        embedding: &[u8],
    ) -> sqlx::Result<()> {
        let now = now_text();
        sqlx::query(
            "INSERT INTO profiles (id, crop_key, embedding, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(crop_key)
        .bind(embedding)
        .bind(&now)
        .bind(&now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every profile's id and embedding, for matching new people against.
    pub async fn profile_embeddings(&self) -> sqlx::Result<Vec<(String, Vec<u8>)>> {
        sqlx::query_as("SELECT id, embedding FROM profiles")
            .fetch_all(self.pool())
            .await
    }

    /// One page of profiles, newest first.
    pub async fn list_profiles(&self, limit: i64, offset: i64) -> sqlx::Result<Vec<ProfileRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM profiles ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2"
        );
        sqlx::query_as(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await
    }

    /// How many profiles exist (kept by triggers, so this reads one row).
    pub async fn count_profiles(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT value FROM row_counts WHERE name = 'profiles'")
            .fetch_one(self.pool())
            .await
    }

    /// One profile.
    pub async fn get_profile(&self, id: &str) -> sqlx::Result<Option<ProfileRow>> {
        let sql = format!("SELECT {COLUMNS} FROM profiles WHERE id = $1");
        sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    /// Where a profile's crop is stored.
    pub async fn profile_crop_key(&self, id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT crop_key FROM profiles WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }

    /// Applies validated changes; `None` if there is no such profile.
    pub async fn update_profile(
        &self,
        id: &str,
        changes: &ProfileChanges,
    ) -> sqlx::Result<Option<ProfileRow>> {
        let sql = format!(
            "UPDATE profiles SET \
             full_name = CASE WHEN $2 = 1 THEN $3 ELSE full_name END, \
             gender = CASE WHEN $4 = 1 THEN $5 ELSE gender END, \
             birth_date = CASE WHEN $6 = 1 THEN $7 ELSE birth_date END, \
             updated_at = $8 WHERE id = $1 RETURNING {COLUMNS}"
        );
        let flag = |change: &Change| i64::from(change.is_some());
        let value = |change: &Change| change.clone().flatten();
        sqlx::query_as(&sql)
            .bind(id)
            .bind(flag(&changes.full_name))
            .bind(value(&changes.full_name))
            .bind(flag(&changes.gender))
            .bind(value(&changes.gender))
            .bind(flag(&changes.birth_date))
            .bind(value(&changes.birth_date))
            .bind(now_text())
            .fetch_optional(self.pool())
            .await
    }

    /// Deletes a profile; returns its crop key if it existed.
    pub async fn delete_profile(&self, id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("DELETE FROM profiles WHERE id = $1 RETURNING crop_key")
            .bind(id)
            .fetch_optional(self.pool())
            .await
    }
}
