//! The audit log: every manual change to profiles and people, with who made it and the
//! values before and after. Entries are written in the transaction of the change itself,
//! so a change without its entry (or an entry without its change) cannot happen.

use crate::db::audit::{insert_audit, AuditRow, NewAuditRow};
use crate::db::Db;
use crate::error::ApiError;
use crate::security::Client;
use app::model::{AuditEntry, AuditPage};
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// Default and largest page of the log.
pub const DEFAULT_PAGE: i64 = 50;
pub const MAX_PAGE: i64 = 500;

/// One change, built up by the service that makes it.
#[derive(Debug, Clone, Default)]
pub struct Change {
    action: &'static str,
    profiles: Vec<String>,
    people: Vec<String>,
    videos: Vec<String>,
    before: Option<Value>,
    after: Option<Value>,
}

impl Change {
    /// A change named `action` (`profile.merge`, `person.move`, ...).
    pub fn new(action: &'static str) -> Self {
        Self {
            action,
            ..Self::default()
        }
    }

    /// Profiles it touches (the entry is listed under each).
    pub fn profiles(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.profiles.extend(ids);
        self
    }

    /// People it touches.
    pub fn people(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.people.extend(ids);
        self
    }

    /// Videos it touches.
    pub fn videos(mut self, ids: impl IntoIterator<Item = String>) -> Self {
        self.videos.extend(ids);
        self
    }

    /// The values before and after.
    pub fn values(mut self, before: Option<Value>, after: Option<Value>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// Appends the entry on `conn` (inside the change's own transaction).
    pub async fn record(self, conn: &mut AnyConnection, client: &Client) -> sqlx::Result<()> {
        let text = |v: Option<Value>| v.map(|v| v.to_string());
        let objects = json!({
            "profiles": self.profiles,
            "people": self.people,
            "videos": self.videos,
        });
        tracing::info!(action = self.action, %client, %objects, "audit");
        let entry = NewAuditRow {
            action: self.action,
            client: client.as_str(),
            objects: objects.to_string(),
            before: text(self.before),
            after: text(self.after),
            profile_ids: &self.profiles,
        };
        insert_audit(conn, &entry).await
    }
}

/// Reading the log.
#[derive(Clone)]
pub struct AuditService {
    db: Db,
}

impl AuditService {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// One page, newest first; only entries about `profile_id` when given.
    pub async fn list(
        &self,
        profile_id: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> Result<AuditPage, ApiError> {
        let (rows, total) = self.db.list_audit(profile_id, limit, offset).await?;
        Ok(AuditPage {
            items: rows.into_iter().map(entry).collect(),
            total,
        })
    }
}

fn entry(row: AuditRow) -> AuditEntry {
    let parse = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
    AuditEntry {
        objects: parse(&row.objects),
        before: row.before.as_deref().map(parse),
        after: row.after.as_deref().map(parse),
        id: row.id,
        at: row.at,
        action: row.action,
        client: row.client,
    }
}
