//! Queries on `profiles`.

use super::{now_text, placeholders, Db};
use app::model::DbFlag;
use sqlx::AnyConnection;

/// A profile's own columns (its videos are read separately).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub id: String,
    pub full_name: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    #[sqlx(try_from = "DbFlag")]
    pub hidden: bool,
    #[sqlx(try_from = "DbFlag")]
    pub watch: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// Which profiles a listing shows.
#[derive(Debug, Clone, Default)]
pub struct ProfileFilter {
    /// Folded substring of the full name ([`app::model::name_key`]); `None`: every name.
    pub name: Option<String>,
    /// Whether hidden profiles are listed too.
    pub include_hidden: bool,
}

/// How many profiles a listing matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub value: i64,
    /// The planner's estimate, not a count (see `name_search`).
    pub estimated: bool,
}

impl Total {
    /// A counted total.
    pub fn exact(value: i64) -> Self {
        Self {
            value,
            estimated: false,
        }
    }
}

/// A field change: `None` leaves the column as it is, `Some(None)` clears it.
pub type Change = Option<Option<String>>;

/// The changes of one PATCH, already validated.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub full_name: Change,
    pub gender: Change,
    pub birth_date: Change,
    /// `Some(true)` hides, `Some(false)` shows again.
    pub hidden: Option<bool>,
    /// `Some(true)` puts it on the watch list, `Some(false)` takes it off.
    pub watch: Option<bool>,
}

impl ProfileChanges {
    /// Whether the change touches nothing.
    pub fn is_empty(&self) -> bool {
        !self.has_fields() && self.hidden.is_none() && self.watch.is_none()
    }

    /// Whether a named field (not just `hidden`) changes.
    pub fn has_fields(&self) -> bool {
        self.full_name.is_some() || self.gender.is_some() || self.birth_date.is_some()
    }
}

pub(super) const COLUMNS: &str =
    "id, full_name, gender, birth_date, hidden, watch, created_at, updated_at";

impl Db {
    /// One page of profiles, newest first, and how many match the filter in all.
    pub async fn list_profiles(
        &self,
        filter: &ProfileFilter,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<ProfileRow>, Total)> {
        if let Some(name) = &filter.name {
            return self.find_by_name(name, filter, limit, offset).await;
        }
        let visible = if filter.include_hidden {
            ""
        } else {
            "WHERE hidden = 0 "
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM profiles {visible}\
             ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query_as(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        // Both counters are kept by triggers: no scan of the table.
        let hidden = if filter.include_hidden { "0" } else { "value" };
        let sql = format!(
            "SELECT (SELECT value FROM row_counts WHERE name = 'profiles') - \
             (SELECT {hidden} FROM row_counts WHERE name = 'hidden_profiles')"
        );
        let total = sqlx::query_scalar(&sql).fetch_one(self.pool()).await?;
        Ok((rows, Total::exact(total)))
    }

    /// Stores the search key of every named profile that lacks one (rows written before
    /// name search existed); returns how many.
    pub async fn backfill_name_keys(&self) -> sqlx::Result<u64> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, full_name FROM profiles WHERE full_name IS NOT NULL AND name_key IS NULL",
        )
        .fetch_all(self.pool())
        .await?;
        let mut tx = self.pool().begin().await?;
        for (id, name) in &rows {
            sqlx::query("UPDATE profiles SET name_key = $2 WHERE id = $1")
                .bind(id)
                .bind(app::model::name_key(name))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
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

    /// The full names of some profiles (those that exist).
    pub async fn profile_names(
        &self,
        ids: &[String],
    ) -> sqlx::Result<Vec<(String, Option<String>)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, full_name FROM profiles WHERE id IN ({})",
            placeholders(ids.len())
        );
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(self.pool()).await
    }
}

/// Applies validated changes; `None` if there is no such profile.
pub async fn update_profile(
    conn: &mut AnyConnection,
    id: &str,
    changes: &ProfileChanges,
) -> sqlx::Result<Option<ProfileRow>> {
    let sql = format!(
        "UPDATE profiles SET \
         full_name = CASE WHEN $2 = 1 THEN $3 ELSE full_name END, \
         gender = CASE WHEN $4 = 1 THEN $5 ELSE gender END, \
         birth_date = CASE WHEN $6 = 1 THEN $7 ELSE birth_date END, \
         name_key = CASE WHEN $2 = 1 THEN $9 ELSE name_key END, \
         hidden = CASE WHEN $10 = 1 THEN $11 ELSE hidden END, \
         watch = CASE WHEN $12 = 1 THEN $13 ELSE watch END, \
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
        .bind(value(&changes.full_name).map(|n| app::model::name_key(&n)))
        .bind(i64::from(changes.hidden.is_some()))
        .bind(i64::from(changes.hidden == Some(true)))
        .bind(i64::from(changes.watch.is_some()))
        .bind(i64::from(changes.watch == Some(true)))
        .fetch_optional(conn)
        .await
}

/// One profile, read inside a transaction.
pub async fn get_profile(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<ProfileRow>> {
    let sql = format!("SELECT {COLUMNS} FROM profiles WHERE id = $1");
    sqlx::query_as(&sql).bind(id).fetch_optional(conn).await
}

/// Deletes a profile; returns its crop key if it existed.
pub async fn delete_profile(conn: &mut AnyConnection, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("DELETE FROM profiles WHERE id = $1 RETURNING crop_key")
        .bind(id)
        .fetch_optional(conn)
        .await
}
