//! Queries on `audit_log`: inserted inside the transaction of the change they record, never
//! updated or deleted.

use super::{now_text, Db};
use sqlx::AnyConnection;

/// A recorded change as stored (JSON as text).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: String,
    pub at: String,
    pub action: String,
    pub client: String,
    pub objects: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewAuditRow<'a> {
    pub action: &'a str,
    pub client: &'a str,
    /// JSON object of the ids touched.
    pub objects: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The profiles this entry is listed under (also those deleted by the change).
    pub profile_ids: &'a [String],
}

/// Appends one entry.
pub async fn insert_audit(conn: &mut AnyConnection, entry: &NewAuditRow<'_>) -> sqlx::Result<()> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO audit_log (id, at, action, client, objects, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(now_text())
    .bind(entry.action)
    .bind(entry.client)
    .bind(&entry.objects)
    .bind(entry.before.as_deref())
    .bind(entry.after.as_deref())
    .execute(&mut *conn)
    .await?;
    let mut listed: Vec<&String> = entry.profile_ids.iter().collect();
    listed.sort();
    listed.dedup();
    for profile_id in listed {
        sqlx::query("INSERT INTO audit_profiles (profile_id, audit_id) VALUES ($1, $2)")
            .bind(profile_id)
            .bind(&id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

const COLUMNS: &str = "a.id, a.at, a.action, a.client, a.objects, a.before, a.after";

impl Db {
    /// One page of the log, newest first, optionally only the entries about one profile;
    /// and how many there are in all.
    pub async fn list_audit(
        &self,
        profile_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> sqlx::Result<(Vec<AuditRow>, i64)> {
        let (from, filter) = match profile_id {
            Some(_) => (
                "audit_log a JOIN audit_profiles p ON p.audit_id = a.id",
                "p.profile_id = $1",
            ),
            None => ("audit_log a", "$1 = $1"),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM {from} WHERE {filter} ORDER BY a.id DESC LIMIT $2 OFFSET $3"
        );
        let key = profile_id.unwrap_or_default();
        let rows = sqlx::query_as(&sql)
            .bind(key)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.pool())
            .await?;
        let sql = format!("SELECT COUNT(*) FROM {from} WHERE {filter}");
        let total = sqlx::query_scalar(&sql)
            .bind(key)
            .fetch_one(self.pool())
            .await?;
        Ok((rows, total))
    }
}
