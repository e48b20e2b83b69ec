//! The watch list's alerts: raised when a processed video holds a person of a watched
//! profile (see [`raise`]), listed and acknowledged by operators, sent out by
//! [`crate::webhooks`].

pub mod raise;

use crate::db::alerts::AlertRow;
use crate::db::webhooks::DeliveryRow;
use crate::db::Db;
use crate::error::ApiError;
use app::model::{Alert, AlertPage, DeliveryPage, DeliveryState, WebhookDelivery};

/// Default page size of the alert and delivery listings.
pub const DEFAULT_PAGE: i64 = 50;
/// Largest page size of the alert and delivery listings.
pub const MAX_PAGE: i64 = 500;

/// Reading and acknowledging alerts. Cheap to clone.
#[derive(Clone)]
pub struct AlertService {
    db: Db,
}

impl AlertService {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// One page of alerts, newest first.
    pub async fn list(&self, limit: i64, offset: i64) -> Result<AlertPage, ApiError> {
        let (rows, total, unacknowledged) = self.db.list_alerts(limit, offset).await?;
        Ok(AlertPage {
            items: rows.into_iter().map(alert).collect(),
            total,
            unacknowledged,
        })
    }

    /// Marks an alert seen; acknowledging twice keeps the first time.
    pub async fn acknowledge(&self, id: &str) -> Result<Alert, ApiError> {
        let row = self.db.acknowledge_alert(id).await?;
        row.map(alert).ok_or(ApiError::NotFound("alert"))
    }

    /// One page of webhook deliveries, newest first.
    pub async fn deliveries(&self, limit: i64, offset: i64) -> Result<DeliveryPage, ApiError> {
        let (rows, total) = self.db.list_deliveries(limit, offset).await?;
        Ok(DeliveryPage {
            items: rows.into_iter().map(delivery).collect(),
            total,
        })
    }
}

/// The API form of a stored alert.
pub fn alert(row: AlertRow) -> Alert {
    Alert {
        episodes: serde_json::from_str(&row.episodes).unwrap_or_default(),
        id: row.id,
        profile_id: row.profile_id,
        profile_name: row.profile_name,
        video_id: row.video_id,
        file_name: row.file_name,
        person_id: row.person_id,
        similarity: row.similarity,
        created_at: row.created_at,
        acknowledged_at: row.acknowledged_at,
    }
}

fn delivery(row: DeliveryRow) -> WebhookDelivery {
    let state = match row.state.as_str() {
        "delivered" => DeliveryState::Delivered,
        "failed" => DeliveryState::Failed,
        _ => DeliveryState::Pending,
    };
    let next_attempt_at = (state == DeliveryState::Pending).then(|| ms_text(row.next_attempt_at));
    WebhookDelivery {
        id: row.id,
        alert_id: row.alert_id,
        url: row.url,
        state,
        attempts: row.attempts,
        last_status: row.last_status,
        last_error: row.last_error,
        next_attempt_at,
        created_at: row.created_at,
        delivered_at: row.delivered_at,
    }
}

/// Unix milliseconds as RFC 3339 UTC text.
fn ms_text(ms: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
